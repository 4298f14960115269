/**
 * Every host example, started for real: each must answer qrlogin's HTTP API and WebSocket on its own
 * server, and carry a whole login through the host's own routes. The phone is the real
 * `@qrlogin/app` with a real Ed25519 key; the browser is a real `ws` client; the multi-instance
 * example runs two instances on a private `redis-server`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
// The examples test is no workspace package, so it reaches the SDK sources by path.
import { createQrLoginApp, type FetchLike, generateDeviceKeys, registerDevice } from '../packages/app/src/index.js';
import {
  type CreateSessionResponse,
  isBrowserSecret,
  isSessionId,
  parseQrPayload,
} from '../packages/protocol/src/index.js';

interface Running {
  url: string;
  close(): Promise<void>;
}
type Frame = { type: string; state?: string; version?: number; error?: { code: string } };

/** A port nobody listens on right now. The examples derive their origin from the port, so port 0 won't do. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Starts on a free port, retrying if another process took the port in between. */
async function startOnFreePort(start: (port: number) => Promise<Running>): Promise<Running> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (err) {
      if ((err as { code?: string }).code !== 'EADDRINUSE' || attempt === 3) throw err;
    }
  }
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

/** `POST /qrlogin/sessions` on `url`, from a page of `origin`. */
async function createSession(url: string, origin = url): Promise<CreateSessionResponse> {
  const res = await postJson(`${url}/qrlogin/sessions`, {}, { origin });
  expect(res.status).toBe(201);
  return res.body as unknown as CreateSessionResponse;
}

/** A browser waiting on the WebSocket of `url`, as a page of `origin` would. */
async function subscribe(url: string, origin: string, session: CreateSessionResponse) {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/qrlogin/ws`, { origin });
  const frames: Frame[] = [];
  let wake = () => {};
  ws.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as Frame);
    wake();
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
  return {
    frames,
    close: () => ws.terminate(),
    /** Resolves with the frame of `state`; rejects if the socket closes first. */
    async waitFor(state: string): Promise<Frame> {
      for (;;) {
        const frame = frames.find((f) => f.state === state);
        if (frame) return frame;
        const code = await Promise.race([
          closed,
          new Promise<undefined>((resolve) => (wake = () => resolve(undefined))),
        ]);
        if (code !== undefined && !frames.some((f) => f.state === state)) {
          throw new Error(`socket closed (${code}) before "${state}"; frames: ${JSON.stringify(frames)}`);
        }
      }
    },
  };
}

/** Checks a `POST /sessions` answer field by field. */
function expectValidSession(session: CreateSessionResponse, origin: string) {
  expect(isSessionId(session.sessionId)).toBe(true);
  expect(isBrowserSecret(session.browserSecret)).toBe(true);
  expect(parseQrPayload(session.qrPayload)).toMatchObject({
    origin,
    basePath: '/qrlogin',
    sessionId: session.sessionId,
  });
  expect(session.version).toBe(1);
  // The default session TTL is 120 s.
  expect(session.expiresAt - session.serverTime).toBe(120_000);
}

/**
 * A whole login: the phone registers with the host's token, scans and confirms; the browser hears
 * it and redeems through the host's `POST /login/qr`, whose cookie then names the user. `site` is
 * where the browser creates the session and redeems, `socket` where it listens, `phoneFetch` how
 * the phone's requests reach a server.
 */
async function loginThrough(site: string, socket = site, phoneFetch?: FetchLike) {
  const baseUrl = `${site}/qrlogin`;
  const keys = generateDeviceKeys();
  const fetchOption = phoneFetch ? { fetch: phoneFetch } : {};
  await expect(
    registerDevice({ baseUrl, keys, label: 'Test phone', userId: 'alice', ...fetchOption }),
  ).rejects.toMatchObject({
    code: 'UNAUTHENTICATED',
  });
  const { deviceId } = await registerDevice({
    baseUrl,
    keys,
    label: 'Test phone',
    userId: 'alice',
    headers: { authorization: 'Bearer demo-app-token' },
    ...fetchOption,
  });

  const session = await createSession(site);
  const browser = await subscribe(socket, site, session);
  await browser.waitFor('pending');
  const app = createQrLoginApp({ baseUrl, deviceId, keys, ...fetchOption });
  const request = await app.scan(session.qrPayload);
  expect(request.origin).toBe(site);
  // The example hands qrlogin the client address (Hono needs getConnInfo for it).
  expect(['127.0.0.1', '::1']).toContain(request.requester.ip);
  await browser.waitFor('scanned');
  expect((await request.confirm()).state).toBe('confirmed');
  await browser.waitFor('confirmed');

  const redeem = { sessionId: session.sessionId, browserSecret: session.browserSecret };
  // What a cross-site form could send (login CSRF): refused, and it spends nothing.
  const form = await fetch(`${site}/login/qr`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(redeem),
  });
  expect([400, 415]).toContain(form.status);
  expect(form.headers.get('set-cookie')).toBeNull();
  const forged = await postJson(`${site}/login/qr`, { ...redeem, browserSecret: 'A'.repeat(43) });
  expect(forged.status).toBe(401);
  expect(forged.body).toMatchObject({ error: { code: 'INVALID_SECRET' } });
  expect(forged.headers.get('set-cookie')).toBeNull();

  const redeemed = await postJson(`${site}/login/qr`, redeem);
  expect(redeemed.status).toBe(200);
  expect(redeemed.body).toEqual({ userId: 'alice' });
  const cookie = redeemed.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/^sid=[A-Za-z0-9_-]{43};/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  await browser.waitFor('redeemed');

  const again = await postJson(`${site}/login/qr`, redeem);
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({ error: { code: 'ALREADY_REDEEMED' } });
  expect(again.headers.get('set-cookie')).toBeNull();
  return cookie.split(';')[0] as string;
}

async function whoAmI(url: string, cookie?: string) {
  const res = await fetch(`${url}/me`, cookie ? { headers: { cookie } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const FRAMEWORKS: Record<string, (port: number) => Promise<Running>> = {
  'node-http': async (port) => (await import('./node-http/src/server.js')).start(port),
  express: async (port) => (await import('./express/src/server.js')).start(port),
  fastify: async (port) => (await import('./fastify/src/server.js')).start(port),
  hono: async (port) => (await import('./hono/src/server.js')).start(port),
};

describe.each(Object.keys(FRAMEWORKS))('the %s example', (name) => {
  let site: Running;
  beforeAll(async () => {
    site = await startOnFreePort(FRAMEWORKS[name] as (port: number) => Promise<Running>);
  });
  afterAll(() => site?.close());

  it('answers POST /qrlogin/sessions with 201 and a valid session', async () => {
    expectValidSession(await createSession(site.url), site.url);
  });

  it('serves the WebSocket on its own server: auth → pending snapshot', async () => {
    const session = await createSession(site.url);
    const browser = await subscribe(site.url, site.url, session);
    expect(await browser.waitFor('pending')).toMatchObject({ type: 'state', version: 1 });
    expect(browser.frames).toHaveLength(1);
    browser.close();
  });

  it('refuses a WebSocket from a foreign page origin with 403, before the upgrade', async () => {
    const ws = new WebSocket(`${site.url.replace(/^http/, 'ws')}/qrlogin/ws`, { origin: 'https://evil.example' });
    const [, response] = (await once(ws, 'unexpected-response')) as [unknown, { statusCode: number }];
    expect(response.statusCode).toBe(403);
  });

  it('leaves the host its own routes and 404s', async () => {
    expect(await whoAmI(site.url)).toEqual({ status: 401, body: { error: 'not signed in' } });
    const res = await fetch(`${site.url}/qrlogin/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('carries a whole login to the host’s own cookie session', async () => {
    const cookie = await loginThrough(site.url);
    expect(await whoAmI(site.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
  });
});

const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';
const skipRedis = !existsSync(REDIS_SERVER) && process.env.CI !== 'true';
if (skipRedis) {
  console.warn(
    `[qrlogin] SKIPPING the multi-instance example test: ${REDIS_SERVER} not found (install redis-server or set REDIS_SERVER). It runs, and fails, when CI=true.`,
  );
}

describe.skipIf(skipRedis)('the multi-instance example (two instances, one private Redis)', () => {
  let redis: ChildProcess;
  let a: Running;
  let b: Running;

  beforeAll(async () => {
    const port = await freePort();
    redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
    const failed = once(redis, 'error').then(([err]) => {
      throw err;
    });
    const ready = new Promise<void>((resolve) => {
      let out = '';
      redis.stdout?.on('data', (chunk) => {
        out += chunk;
        if (out.includes('Ready to accept connections')) resolve();
      });
    });
    await Promise.race([ready, failed]);
    const { start } = await import('./multi-instance/src/server.js');
    const redisUrl = `redis://127.0.0.1:${port}`;
    a = await startOnFreePort((p) => start(p, { redisUrl, origin: `http://localhost:${p}` }));
    // Both instances serve one site: B shares A's origin, as instances behind one load balancer do.
    b = await startOnFreePort((p) => start(p, { redisUrl, origin: a.url }));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    redis?.kill();
  });

  it('each instance answers POST /qrlogin/sessions and its WebSocket', async () => {
    for (const instance of [a, b]) {
      const session = await createSession(instance.url, a.url);
      expectValidSession(session, a.url);
      const browser = await subscribe(instance.url, a.url, session);
      expect(await browser.waitFor('pending')).toMatchObject({ type: 'state', version: 1 });
      browser.close();
    }
  });

  it('a session made on A is served by B: socket on B, phone round-robin, cookie valid on both', async () => {
    // A round-robin load balancer in front of the phone: consecutive requests land on A, B, A …
    const targets = [a.url, b.url];
    let next = 0;
    const seen: string[] = [];
    const roundRobin: FetchLike = (url, init) => {
      const target = targets[next++ % targets.length] as string;
      seen.push(target);
      return fetch(url.replace(a.url, target), init);
    };
    const cookie = await loginThrough(a.url, b.url, roundRobin);
    // register (refused) → A, register → B, scan → A, confirm → B: the scan on A reached the browser's
    // socket on B through Redis, and so did the redeem on A.
    expect(seen).toEqual([a.url, b.url, a.url, b.url]);
    expect(await whoAmI(a.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
    expect(await whoAmI(b.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
  });
});
