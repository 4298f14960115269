/**
 * Detection latency of the Next.js example in its two modes: how long after the phone sends its
 * confirm the waiting page learns of it. `custom server` (server.ts) pushes over the WebSocket;
 * `next start` (as on serverless) has only the long-poll. Each mode runs in its own server process;
 * one phone (`@qrlogin/app`, a real Ed25519 key) does `LOGINS` whole logins one after another, after
 * one warm-up login. Latency = confirm request sent → `confirmed` reaches the page (frame or poll
 * answer), on loopback. Run `next build --webpack` first.
 *
 * Run: pnpm --filter @qrlogin/example-nextjs bench:detection   (LOGINS=25 by default, at most 28:
 * the example keeps qrlogin's default limit of 30 sessions per IP per minute)
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createQrLoginApp, generateDeviceKeys, registerDevice } from '@qrlogin/app';
import WebSocket from 'ws';
import { startNext } from './start-next.js';

const DIR = fileURLToPath(new URL('..', import.meta.url));
const LOGINS = Number(process.env.LOGINS ?? 25);
if (!Number.isInteger(LOGINS) || LOGINS < 1 || LOGINS > 28) throw new TypeError(`LOGINS must be 1…28, got ${LOGINS}`);
if (!existsSync(`${DIR}/.next/BUILD_ID`))
  throw new Error('no build: run `pnpm --filter @qrlogin/example-nextjs build`');

type Session = { sessionId: string; browserSecret: string; qrPayload: string };
/** Resolves at the moment the page learns the session reached `state`. */
type Page = { until(state: string): Promise<number>; close(): void };

/** When `state` was or will be seen. */
function waitFor(seen: Map<string, number>, waiters: Map<string, (at: number) => void>, state: string) {
  return new Promise<number>((resolve) => (seen.has(state) ? resolve(seen.get(state)!) : waiters.set(state, resolve)));
}

/** A page waiting on the WebSocket. */
async function socketPage(url: string, session: Session): Promise<Page> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/qrlogin/ws`, { origin: url });
  const seen = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  ws.on('message', (data) => {
    const at = performance.now();
    const { state } = JSON.parse(String(data)) as { state?: string };
    if (!state) return;
    seen.set(state, at);
    waiters.get(state)?.(at);
  });
  const closed = new Promise<never>((_, reject) =>
    ws.on('close', (code) => reject(new Error(`the WebSocket closed (${code})`))),
  );
  closed.catch(() => {}); // only a waiting `until` cares
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
  return {
    until: (state) => Promise.race([waitFor(seen, waiters, state), closed]),
    close: () => ws.terminate(),
  };
}

/** A page waiting by long-poll, as `@qrlogin/browser` does when no WebSocket gets through. */
async function pollPage(url: string, session: Session): Promise<Page> {
  const seen = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const stop = new AbortController();
  const ended = (async () => {
    let after = '';
    while (!stop.signal.aborted) {
      const res = await fetch(`${url}/qrlogin/sessions/${session.sessionId}${after}`, {
        headers: { authorization: `Bearer ${session.browserSecret}` },
        signal: stop.signal,
      });
      if (res.status !== 200) throw new Error(`the long-poll answered ${res.status}: ${await res.text()}`);
      const { state, version } = (await res.json()) as { state: string; version: number };
      const at = performance.now();
      seen.set(state, at);
      waiters.get(state)?.(at);
      after = `?after=${version}`;
    }
    throw new Error('closed');
  })();
  ended.catch(() => {}); // only a waiting `until` cares
  return {
    until: (state) => Promise.race([waitFor(seen, waiters, state), ended]),
    close: () => stop.abort(),
  };
}

/** `LOGINS` timed logins (after one warm-up) against `url`; returns the latencies in ms. */
async function measure(url: string, open: (url: string, session: Session) => Promise<Page>): Promise<number[]> {
  const baseUrl = `${url}/qrlogin`;
  const keys = generateDeviceKeys();
  const { deviceId } = await registerDevice({
    baseUrl,
    keys,
    label: 'Bench phone',
    userId: 'alice', // the user lib/qr-login.ts maps demo-app-token to
    headers: { authorization: 'Bearer demo-app-token' },
  });
  const app = createQrLoginApp({ baseUrl, deviceId, keys });
  const latencies: number[] = [];
  for (let i = 0; i <= LOGINS; i++) {
    const res = await fetch(`${baseUrl}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: '{}',
    });
    if (res.status !== 201) throw new Error(`POST /sessions answered ${res.status}: ${await res.text()}`);
    const session = (await res.json()) as Session;
    const page = await open(url, session);
    const request = await app.scan(session.qrPayload);
    await page.until('scanned');
    const sent = performance.now();
    const [learned] = await Promise.all([page.until('confirmed'), request.confirm()]);
    page.close();
    if (i > 0) latencies.push(learned - sent); // login 0 warms up the JIT and the route bundles
  }
  return latencies;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  return `median ${ms(at(0.5))}, p90 ${ms(at(0.9))}, min ${ms(sorted[0]!)}, max ${ms(sorted.at(-1)!)}`;
}

const port = 3000 + Math.floor(Math.random() * 2000);
console.log(
  `Next.js detection latency, ${LOGINS} logins per mode — ${os.cpus().length} cores, node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const modes = [
  { name: 'custom server, WebSocket push', mode: 'custom-server', open: socketPage },
  { name: 'next start, long-poll only', mode: 'next-start', open: pollPage },
] as const;
for (const [i, { name, mode, open }] of modes.entries()) {
  const server = await startNext(mode, port + i);
  try {
    console.log(`${name}: ${summary(await measure(server.url, open))}`);
  } finally {
    await server.close();
  }
}
