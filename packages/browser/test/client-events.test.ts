/**
 * Every event path of the headless client against the real server, once over the WebSocket and
 * once over long-poll: the phone is the real app package, the transport is the real `ws` client or
 * Node's fetch.
 */
import { QrLoginError } from '@qrlogin/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { createQrLoginClient, type QrLoginClient, type QrLoginClientOptions } from '../src/index.js';
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

async function started(
  transport: 'websocket' | 'poll',
  extra: Partial<QrLoginClientOptions> = {},
): Promise<{ client: QrLoginClient; events: Recorder }> {
  const s = server!;
  client = createQrLoginClient({ baseUrl: s.baseUrl, transport, WebSocket: browserWebSocket(s.origin), ...extra });
  const events = recordEvents(client);
  await client.start();
  await events.waitFor('transport');
  return { client, events };
}

describe.each(['websocket', 'poll'] as const)('client events over %s', (transport) => {
  it('session → scanned (with the number-matching code) → confirmed, and the host redeems it', async () => {
    server = await startServer({ numberMatching: true });
    const phone = await server.phone('alice');
    const { client, events } = await started(transport);
    expect(events.all('transport')).toEqual([transport]);
    const session = await events.waitFor('session');
    expect(session).toMatchObject({ sessionId: client.session?.sessionId, rotation: 0 });
    expect(session.qrPayload).toBe(`${server.baseUrl}/q/1/${session.sessionId}`);

    const request = await phone.scan(session.qrPayload);
    const scanned = await events.waitFor('scanned');
    expect(scanned.sessionId).toBe(session.sessionId);
    expect(scanned.code).toMatch(/^[0-9]{2}$/);

    await request.confirm({ code: scanned.code! });
    const confirmed = await events.waitFor('confirmed');
    expect(confirmed.sessionId).toBe(session.sessionId);
    const login = await server.qr.redeem(confirmed);
    expect(login).toMatchObject({ sessionId: session.sessionId, userId: 'alice' });

    expect(events.names().filter((n) => n !== 'state')).toEqual(['session', 'transport', 'scanned', 'confirmed']);
    expect(events.all('state').map((s) => s.state)).toEqual(['pending', 'scanned', 'confirmed']);
    const versions = events.all('state').map((s) => s.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    // The secret is handed over once, in `confirmed`, and nowhere else.
    const elsewhere = events.log.filter(([name]) => name !== 'confirmed');
    expect(JSON.stringify(elsewhere)).not.toContain(confirmed.browserSecret);
    expect(client.snapshot?.state).toBe('confirmed');
  });

  it('scanned carries no code when number matching is off', async () => {
    server = await startServer();
    const phone = await server.phone();
    const { events } = await started(transport);
    await phone.scan((await events.waitFor('session')).qrPayload);
    const scanned = await events.waitFor('scanned');
    expect(scanned).toEqual({ sessionId: scanned.sessionId });
  });

  it('rejected, with the reason', async () => {
    server = await startServer();
    const phone = await server.phone();
    const { events } = await started(transport);
    const request = await phone.scan((await events.waitFor('session')).qrPayload);
    await events.waitFor('scanned');
    await request.reject();
    expect(await events.waitFor('rejected')).toMatchObject({ reason: 'user' });
    expect(events.all('state').at(-1)?.state).toBe('rejected');
  });

  it('a wrong number-matching code rejects with reason code-mismatch', async () => {
    server = await startServer({ numberMatching: true });
    const phone = await server.phone();
    const { events } = await started(transport);
    const request = await phone.scan((await events.waitFor('session')).qrPayload);
    const { code } = await events.waitFor('scanned');
    await expect(request.confirm({ code: code === '00' ? '01' : '00' })).rejects.toThrow(QrLoginError);
    expect(await events.waitFor('rejected')).toMatchObject({ reason: 'code-mismatch' });
  });

  it('expired (the server clock passes the TTL) without rotation', async () => {
    let now = Date.now();
    server = await startServer({ now: () => now, sessionTtlSeconds: 60 });
    const { events } = await started(transport, { rotate: false });
    const session = await events.waitFor('session');
    now += 61_000; // the server's one-second sweep pushes the expiry
    expect(await events.waitFor('expired')).toEqual({ sessionId: session.sessionId, rotating: false });
    expect(events.all('session')).toHaveLength(1);
    expect(events.all('state').at(-1)?.state).toBe('expired');
  });

  it('cancel() cancels on the server and emits cancelled; the QR is dead for the phone', async () => {
    server = await startServer();
    const phone = await server.phone();
    const { client, events } = await started(transport);
    const session = await events.waitFor('session');
    await client.cancel();
    expect(await events.waitFor('cancelled')).toEqual({ sessionId: session.sessionId });
    expect((await server.qr.inspect(session.sessionId))?.state).toBe('cancelled');
    await expect(phone.scan(session.qrPayload)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect.poll(() => server!.qr.socketCount).toBe(0);
  });
});
