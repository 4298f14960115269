/**
 * Every host example, started for real: each must answer qrlogin's HTTP API and WebSocket on its own
 * server, and carry a whole login through the host's own routes. The phone is the real
 * `@qrlogin/app` with a real Ed25519 key; the browser is a real `ws` client (or a long-poll loop);
 * the multi-instance example runs two instances on a private `redis-server`. The Next.js example is
 * built once (`next build --webpack`) and runs as child processes in both of its modes — custom
 * server with WebSocket push, `next start` with long-poll only — and its page also in real Chromium.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
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
import { type RedisServer, skipWithoutRedis, startRedisServer } from '../packages/redis/test/helpers/redis-server.js';
import { launchChromium, readQrFromWidget, skipWithoutChromium } from '../test/helpers/chromium.js';
import { startNext } from './nextjs/scripts/start-next.js';

interface Running {
  url: string;
  close(): Promise<void>;
}
type Frame = { type: string; state?: string; version?: number; error?: { code: string } };
/** A browser waiting for its session's changes, by WebSocket or long-poll. */
interface Listener {
  frames: Frame[];
  close(): void;
  /** Resolves with the frame of `state`; rejects if the channel ends first. */
  waitFor(state: string): Promise<Frame>;
}

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
async function subscribe(url: string, origin: string, session: CreateSessionResponse): Promise<Listener> {
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

/**
 * A browser waiting by long-poll on `url` (`GET /qrlogin/sessions/:id?after=N`), as `@qrlogin/browser`
 * does where no WebSocket gets through: each answer is one frame, the next poll asks past its version.
 */
async function longPoll(url: string, session: CreateSessionResponse): Promise<Listener> {
  const frames: Frame[] = [];
  const stop = new AbortController();
  const terminal = ['redeemed', 'rejected', 'cancelled', 'expired'];
  let wake = () => {};
  const loop = (async () => {
    let after = '';
    for (;;) {
      const res = await fetch(`${url}/qrlogin/sessions/${session.sessionId}${after}`, {
        headers: { authorization: `Bearer ${session.browserSecret}` },
        signal: stop.signal,
      });
      const frame = (await res.json()) as Frame;
      if (res.status !== 200) throw new Error(`long-poll answered ${res.status}: ${JSON.stringify(frame)}`);
      frames.push(frame);
      wake();
      if (terminal.includes(frame.state ?? '')) return;
      after = `?after=${frame.version}`;
    }
  })();
  loop.catch(() => {}); // seen by waitFor; a stopped poll ends with an AbortError nobody awaits
  return {
    frames,
    close: () => stop.abort(),
    async waitFor(state: string): Promise<Frame> {
      for (;;) {
        const frame = frames.find((f) => f.state === state);
        if (frame) return frame;
        const ended = await Promise.race([loop.then(() => true), new Promise<false>((r) => (wake = () => r(false)))]);
        if (ended && !frames.some((f) => f.state === state)) {
          throw new Error(`long-poll ended before "${state}"; frames: ${JSON.stringify(frames)}`);
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

interface LoginOptions {
  /** Where the browser's WebSocket goes. @default site */
  socket?: string;
  /** How the phone's requests reach a server. @default fetch */
  phoneFetch?: FetchLike;
  /** How the browser waits for changes. @default a WebSocket on `socket` */
  listen?: (session: CreateSessionResponse) => Promise<Listener>;
  /** The host's session cookie, as `Set-Cookie` starts. @default sid, 43 random base64url characters */
  cookie?: RegExp;
}

/**
 * A whole login: the phone registers with the host's token, scans and confirms; the browser hears
 * it and redeems through the host's `POST /login/qr`, whose cookie then names the user. `site` is
 * where the browser creates the session and redeems.
 */
async function loginThrough(site: string, options: LoginOptions = {}) {
  const { socket = site, phoneFetch, cookie: cookiePattern = /^sid=[A-Za-z0-9_-]{43};/ } = options;
  const listen = options.listen ?? ((session: CreateSessionResponse) => subscribe(socket, site, session));
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
  const browser = await listen(session);
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
  expect(cookie).toMatch(cookiePattern);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  await browser.waitFor('redeemed');

  const again = await postJson(`${site}/login/qr`, redeem);
  expect(again.status).toBe(409);
  expect(again.body).toMatchObject({ error: { code: 'ALREADY_REDEEMED' } });
  expect(again.headers.get('set-cookie')).toBeNull();
  browser.close();
  return cookie.split(';')[0] as string;
}

async function whoAmI(url: string, cookie?: string) {
  const res = await fetch(`${url}/me`, cookie ? { headers: { cookie } } : {});
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const NEXTJS = fileURLToPath(new URL('./nextjs', import.meta.url));
let nextBuild: Promise<void> | undefined;

/**
 * `next build` of the Next.js example, once per test run however many modes start it. Nothing is
 * cached across runs (CI starts from a clean checkout); the log line tells how long CI spends here.
 */
function buildNext(): Promise<void> {
  nextBuild ??= (async () => {
    const started = Date.now();
    await run(`${NEXTJS}/node_modules/.bin/next`, ['build', '--webpack'], NEXTJS);
    console.log(`[qrlogin] next build of examples/nextjs took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  })();
  return nextBuild;
}

/** Runs `command` to its end; rejects with its output unless it exits 0. */
async function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, { cwd, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`);
}

/** The Next.js example behind its custom server (server.ts): route handlers plus `qr.handleUpgrade()`. */
async function startNextCustomServer(port: number): Promise<Running> {
  await buildNext();
  return startNext('custom-server', port);
}

/** The Next.js example as `next start` runs it, as on a serverless platform: route handlers only. */
async function startNextServerless(port: number): Promise<Running> {
  await buildNext();
  return startNext('next-start', port);
}

const FRAMEWORKS: Record<string, (port: number) => Promise<Running>> = {
  'node-http': async (port) => (await import('./node-http/src/server.js')).start(port),
  express: async (port) => (await import('./express/src/server.js')).start(port),
  fastify: async (port) => (await import('./fastify/src/server.js')).start(port),
  hono: async (port) => (await import('./hono/src/server.js')).start(port),
  'express-passport': async (port) => (await import('./express-passport/src/server.js')).start(port),
  nestjs: async (port) => (await import('./nestjs/src/server.js')).start(port),
  'nextjs (custom server)': startNextCustomServer,
};
/** The host's session cookie where it is not the examples' own `sid` (express-session signs its id). */
const COOKIES: Record<string, RegExp> = { 'express-passport': /^sid=s%3A[A-Za-z0-9_-]{32}\.[A-Za-z0-9%+/]{43,}/ };

describe.each(Object.keys(FRAMEWORKS))('the %s example', (name) => {
  let site: Running;
  beforeAll(async () => {
    site = await startOnFreePort(FRAMEWORKS[name] as (port: number) => Promise<Running>);
  }, 300_000);
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
    const cookie = await loginThrough(site.url, COOKIES[name] ? { cookie: COOKIES[name] } : {});
    expect(await whoAmI(site.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
  });
});

describe.skipIf(skipWithoutChromium)('the nextjs example page in Chromium', () => {
  for (const [mode, startNext, channel] of [
    ['custom server', startNextCustomServer, 'WebSocket'],
    ['next start', startNextServerless, 'long-poll'],
  ] as const) {
    it(`${mode}: <qr-login> shows a code; the phone scans and confirms; the page hears it by ${channel} and lands signed in on /me`, async () => {
      const site = await startOnFreePort(startNext);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const polls: string[] = [];
        page.on('request', (r) => {
          if (r.method() === 'GET' && r.url().includes('/qrlogin/sessions/')) polls.push(r.url());
        });
        await page.goto(site.url);
        const { text } = await readQrFromWidget(page);
        const baseUrl = `${site.url}/qrlogin`;
        const keys = generateDeviceKeys();
        const { deviceId } = await registerDevice({
          baseUrl,
          keys,
          label: 'Test phone',
          userId: 'alice',
          headers: { authorization: 'Bearer demo-app-token' },
        });
        const request = await createQrLoginApp({ baseUrl, deviceId, keys }).scan(text);
        expect(request.requester.browser).toMatch(/Chrom/);
        await request.confirm();
        // The element redeems through /login/qr (the host's cookie) and follows redirect="/me".
        await page.waitForURL(`${site.url}/me`);
        expect(JSON.parse((await page.locator('body').textContent()) ?? '')).toEqual({ userId: 'alice' });
        // With the custom server the page never needs the long-poll; under next start it has nothing else.
        if (channel === 'WebSocket') expect(polls).toEqual([]);
        else expect(polls.length).toBeGreaterThan(0);
      } finally {
        await browser.close();
        await site.close();
      }
    }, 300_000);
  }
});

describe('the nextjs example without its custom server (next start, as on serverless)', () => {
  let site: Running;
  beforeAll(async () => {
    site = await startOnFreePort(startNextServerless);
  }, 300_000);
  afterAll(() => site?.close());

  it('answers POST /qrlogin/sessions from a route handler', async () => {
    expectValidSession(await createSession(site.url), site.url);
  });

  it('has no WebSocket: route handlers cannot take an upgrade', async () => {
    const session = await createSession(site.url);
    await expect(subscribe(site.url, site.url, session)).rejects.toThrow();
  });

  it('carries a whole login over long-poll to the host’s own cookie session', async () => {
    const cookie = await loginThrough(site.url, { listen: (session) => longPoll(site.url, session) });
    expect(await whoAmI(site.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
  });
});

describe.skipIf(skipWithoutRedis)('the multi-instance example (two instances, one private Redis)', () => {
  let redis: RedisServer;
  let a: Running;
  let b: Running;

  beforeAll(async () => {
    // The shared helper retries when another test file takes the freed port first.
    redis = await startRedisServer();
    const port = redis.port;
    const { start } = await import('./multi-instance/src/server.js');
    const redisUrl = `redis://127.0.0.1:${port}`;
    a = await startOnFreePort((p) => start(p, { redisUrl, origin: `http://localhost:${p}` }));
    // Both instances serve one site: B shares A's origin, as instances behind one load balancer do.
    b = await startOnFreePort((p) => start(p, { redisUrl, origin: a.url }));
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
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
    const cookie = await loginThrough(a.url, { socket: b.url, phoneFetch: roundRobin });
    // register (refused) → A, register → B, scan → A, confirm → B: the scan on A reached the browser's
    // socket on B through Redis, and so did the redeem on A.
    expect(seen).toEqual([a.url, b.url, a.url, b.url]);
    expect(await whoAmI(a.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
    expect(await whoAmI(b.url, cookie)).toEqual({ status: 200, body: { userId: 'alice' } });
  });
});
