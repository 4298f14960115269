/**
 * The client when things go wrong, against the real server: a socket dropped mid-flow, upgrades
 * refused (long-poll fallback), a server that cannot be reached, rotation on expiry with its caps
 * and its pause while hidden, and `destroy()` leaving nothing behind.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createQrLoginClient,
  type QrLoginClient,
  type QrLoginClientOptions,
  type VisibilitySource,
} from '../src/index.js';
import { type Recorder, recordEvents } from './helpers/record-events.js';
import { browserWebSocket, startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
let client: QrLoginClient | undefined;
afterEach(async () => {
  client?.destroy();
  client = undefined;
  await server?.close();
  server = undefined;
});

function make(options: Partial<QrLoginClientOptions> & { socketOrigin?: string } = {}): {
  client: QrLoginClient;
  events: Recorder;
} {
  const s = server!;
  const { socketOrigin = s.origin, ...rest } = options;
  client = createQrLoginClient({
    baseUrl: s.baseUrl,
    WebSocket: browserWebSocket(socketOrigin),
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
    ...rest,
  });
  return { client, events: recordEvents(client) };
}

/** A page whose visibility the test flips. */
function fakeVisibility(hidden: boolean): VisibilitySource & { set(hidden: boolean): void } {
  const listeners = new Set<() => void>();
  return {
    hidden: () => hidden,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(value) {
      hidden = value;
      for (const listener of listeners) listener();
    },
  };
}

const timeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/**
 * Pending timers once transient ones (a keep-alive socket's, say) are gone, sampled between
 * event-loop turns with `setImmediate` so the measuring adds no timer of its own.
 */
async function settledTimeouts(): Promise<number> {
  const until = Date.now() + 1500;
  let count = timeouts();
  while (count > 0 && Date.now() < until) {
    await new Promise((resolve) => setImmediate(resolve));
    count = timeouts();
  }
  return count;
}

describe('reconnect', () => {
  it('re-reads the snapshot after the server drops the socket: a scan made while disconnected is not lost', async () => {
    server = await startServer();
    const phone = await server.phone();
    // Slower backoff than the file's default: three refusals in a row mean "fall back to polling",
    // and at 50 ms they would come before a scan on a loaded machine has finished.
    const { client, events } = make({ reconnect: { initialDelayMs: 400, maxDelayMs: 1_000 } });
    await client.start();
    await events.waitFor('transport');
    expect(server.upgrades).toBe(1);

    server.blockUpgrades = true;
    server.dropSockets();
    const request = await phone.scan(client.session!.qrPayload);
    // At least one reconnect attempt is refused while the scan's push has nowhere to go.
    await expect.poll(() => server!.upgrades).toBeGreaterThanOrEqual(2);
    expect(events.all('scanned')).toEqual([]);
    server.blockUpgrades = false;

    const scanned = await events.waitFor('scanned');
    expect(scanned.sessionId).toBe(client.session!.sessionId);
    await request.confirm();
    await events.waitFor('confirmed');
    // The socket worked before, so a few refusals are a blip, not a reason to fall back.
    expect(events.all('transport')).toEqual(['websocket']);
    expect(events.all('error').every((e) => e.code === 'NETWORK_ERROR')).toBe(true);
    expect(events.all('error').length).toBeGreaterThanOrEqual(2);
    expect(events.all('state').map((s) => s.state)).toEqual(['pending', 'scanned', 'confirmed']);
  });

  it('gives up with a fatal error after maxAttempts when only WebSockets are allowed and they keep failing', async () => {
    server = await startServer({ attach: false });
    const { client, events } = make({ transport: 'websocket', reconnect: { initialDelayMs: 20, maxAttempts: 3 } });
    await client.start();
    const fatal = await new Promise<unknown>((resolve) =>
      client.on('error', (error, { fatal }) => fatal && resolve(error)),
    );
    expect(fatal).toMatchObject({ code: 'NETWORK_ERROR' });
    expect(events.all('error').length).toBe(4);
    expect(events.all('transport')).toEqual([]);
    expect(server.heldPolls()).toBe(0);
  });
});

describe('long-poll fallback', () => {
  it('falls back at once when the upgrade is refused for its Origin, and completes over long-poll', async () => {
    server = await startServer();
    const phone = await server.phone();
    const { client, events } = make({ socketOrigin: 'http://evil.example' });
    await client.start();
    expect(await events.waitFor('transport')).toBe('poll');
    expect(events.all('error')).toMatchObject([{ code: 'NETWORK_ERROR' }]);

    const request = await phone.scan(client.session!.qrPayload);
    await events.waitFor('scanned');
    await request.confirm();
    const confirmed = await events.waitFor('confirmed');
    expect(await server.qr.redeem(confirmed)).toMatchObject({ userId: 'alice' });
    // Probes for the socket's return are refused too, silently: one error, one transport.
    expect(events.all('error')).toHaveLength(1);
    expect(events.all('transport')).toEqual(['poll']);
    await expect.poll(() => server!.heldPolls()).toBe(0);
  });

  it('goes back to the WebSocket once upgrades work again, and stops long-polling', async () => {
    server = await startServer();
    const phone = await server.phone();
    server.blockUpgrades = true;
    const { client, events } = make();
    await client.start();
    expect(await events.waitFor('transport')).toBe('poll');
    await expect.poll(() => server!.heldPolls()).toBe(1);
    const refused = server.upgrades;

    server.blockUpgrades = false;
    expect(await events.waitFor('transport', (kind) => kind === 'websocket')).toBe('websocket');
    expect(server.upgrades).toBeGreaterThan(refused);
    await expect.poll(() => server!.heldPolls()).toBe(0);

    const request = await phone.scan(client.session!.qrPayload);
    await events.waitFor('scanned');
    await request.confirm();
    await events.waitFor('confirmed');
    expect(events.all('transport')).toEqual(['poll', 'websocket']);
    expect(server.heldPolls()).toBe(0);
  });

  it('falls back on a server that does not serve WebSockets at all, and stays on long-poll across rotations', async () => {
    let now = Date.now();
    server = await startServer({ attach: false, now: () => now });
    const phone = await server.phone();
    const { client, events } = make();
    await client.start();
    expect(await events.waitFor('transport')).toBe('poll');
    now += 121_000;
    const second = await events.waitFor('session', (s) => s.rotation === 1);
    const request = await phone.scan(second.qrPayload);
    await request.reject();
    expect(await events.waitFor('rejected')).toMatchObject({ sessionId: second.sessionId, reason: 'user' });
    // Probes for the socket's return fail silently: one error, and the page stays on long-poll.
    expect(events.all('error')).toHaveLength(1);
    expect(events.all('transport')).toEqual(['poll']);
  });
});

describe('session creation failures', () => {
  it('a refused Origin is fatal at once: start() rejects and error says FORBIDDEN_ORIGIN', async () => {
    server = await startServer();
    const { client, events } = make({
      fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, origin: 'http://evil.example' } }),
    });
    await expect(client.start()).rejects.toMatchObject({ code: 'FORBIDDEN_ORIGIN' });
    expect(events.log).toEqual([['error', expect.objectContaining({ code: 'FORBIDDEN_ORIGIN' })]]);
    expect(client.session).toBeUndefined();
  });

  it('a baseUrl where qrlogin is not mounted (an HTML 404 of the host): fatal at once, NOT_FOUND, a console hint naming baseUrl', async () => {
    server = await startServer({
      host: (req, res) => {
        if (req.url?.startsWith('/qrlogin')) return false;
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<!doctype html><h1>Not found</h1>');
        return true;
      },
    });
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { client, events } = make({ baseUrl: `${server.origin}/login` });
      await expect(client.start()).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(events.all('error').map((e) => e.code)).toEqual(['NOT_FOUND']);
      expect(warn.mock.calls).toEqual([[expect.stringContaining('check the "baseUrl" option')]]);
    } finally {
      warn.mockRestore();
    }
  });

  it('an unreachable server is retried with backoff, then reported fatal', async () => {
    server = await startServer();
    const { baseUrl } = server;
    await server.close();
    server = undefined;
    client = createQrLoginClient({
      baseUrl,
      reconnect: { initialDelayMs: 10, maxAttempts: 3 },
    });
    const events = recordEvents(client);
    await expect(client.start()).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
    expect(events.all('error').map((e) => e.code)).toEqual(['NETWORK_ERROR', 'NETWORK_ERROR', 'NETWORK_ERROR']);
  });
});

describe('rotation', () => {
  it('rotates to a fresh session on each expiry, up to maxSessions', async () => {
    let now = Date.now();
    server = await startServer({ now: () => now });
    const created: string[] = [];
    server.qr.events.on('created', (event) => created.push(event.sessionId));
    const { client, events } = make({ rotate: { maxSessions: 3 } });
    await client.start();
    for (const rotation of [1, 2]) {
      now += 121_000;
      await events.waitFor('session', (s) => s.rotation === rotation);
    }
    now += 121_000;
    await events.waitFor('expired', (e) => !e.rotating);
    expect(events.all('expired').map((e) => e.rotating)).toEqual([true, true, false]);
    const ids = events.all('session').map((s) => s.sessionId);
    expect(new Set(ids).size).toBe(3);
    expect(created).toEqual(ids);
    expect(client.session?.rotation).toBe(2);
  });

  it('waits while the page is hidden and rotates when it is visible again', async () => {
    let now = Date.now();
    server = await startServer({ now: () => now });
    const created: string[] = [];
    server.qr.events.on('created', (event) => created.push(event.sessionId));
    const visibility = fakeVisibility(false);
    const { client, events } = make({ visibility });
    await client.start();
    await events.waitFor('transport');
    visibility.set(true);
    now += 121_000;
    expect(await events.waitFor('expired')).toMatchObject({ rotating: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(created).toHaveLength(1);

    visibility.set(false);
    const next = await events.waitFor('session', (s) => s.rotation === 1);
    expect(created).toEqual([events.all('session')[0]?.sessionId, next.sessionId]);
  });

  it('stops rotating once maxTotalSeconds of visible time are spent', async () => {
    let now = Date.now();
    server = await startServer({ now: () => now });
    const { client, events } = make({ rotate: { maxTotalSeconds: 0.2 } });
    await client.start();
    await events.waitFor('transport');
    await new Promise((resolve) => setTimeout(resolve, 250));
    now += 121_000;
    expect(await events.waitFor('expired')).toMatchObject({ rotating: false });
    expect(events.all('session')).toHaveLength(1);
  });

  it('refresh() starts over with a fresh session and cancels the old one', async () => {
    server = await startServer();
    const { client, events } = make();
    await client.start();
    const first = client.session!;
    await client.refresh();
    const second = client.session!;
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(second.rotation).toBe(0);
    await expect.poll(async () => (await server!.qr.inspect(first.sessionId))?.state).toBe('cancelled');
    expect(events.all('cancelled')).toEqual([]);
  });
});

describe('destroy()', () => {
  it('over WebSocket: the server sees no socket and no client timer is left', async () => {
    server = await startServer();
    expect(await settledTimeouts()).toBe(0);
    const { client, events } = make();
    await client.start();
    await events.waitFor('transport');
    expect(server.qr.socketCount).toBe(1);
    expect(await settledTimeouts()).toBe(1); // the expiry check is armed
    client.destroy();
    await expect.poll(() => server!.qr.socketCount).toBe(0);
    expect(await settledTimeouts()).toBe(0);
    expect(client.listenerCount('state')).toBe(0);
  });

  it('over long-poll: the held request is aborted and no client timer is left', async () => {
    server = await startServer();
    expect(await settledTimeouts()).toBe(0);
    const { client, events } = make({ transport: 'poll' });
    await client.start();
    await events.waitFor('transport');
    await expect.poll(() => server!.heldPolls()).toBe(1);
    expect(await settledTimeouts()).toBe(1); // the expiry check is armed
    client.destroy();
    await expect.poll(() => server!.heldPolls()).toBe(0);
    expect(await settledTimeouts()).toBe(0);
  });

  it('during a reconnect backoff: the pending retry is cancelled', async () => {
    server = await startServer();
    expect(await settledTimeouts()).toBe(0);
    const { client, events } = make({ reconnect: { initialDelayMs: 5_000 } });
    await client.start();
    await events.waitFor('transport');
    server.dropSockets();
    await events.waitFor('error');
    expect(await settledTimeouts()).toBe(2); // the expiry check and the retry
    client.destroy();
    expect(await settledTimeouts()).toBe(0);
    expect(server.upgrades).toBe(1);
  });
});
