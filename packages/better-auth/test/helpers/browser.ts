/**
 * A browser in Node for the HTTP-level tests: creates a qrlogin session through better-auth's
 * handler, waits on the real WebSocket, and redeems into its own cookie jar.
 */
import { once } from 'node:events';
import type { CreateSessionResponse, StatusSnapshot } from '@qrlogin/server';
import WebSocket from 'ws';
import { cookieJarFetch } from './phone.js';

/** A page's side of a login: its session, its socket's snapshots, its own cookies. */
export interface NodeBrowser {
  session: CreateSessionResponse;
  cookies: Map<string, string>;
  fetch: typeof fetch;
  /** Resolves with the first snapshot in `state` the socket receives. */
  waitFor(state: string): Promise<StatusSnapshot>;
  /** `POST /api/auth/qr-login/redeem` with this page's session and secret. */
  redeem(body?: unknown): Promise<Response>;
  close(): void;
}

/**
 * Opens a login session as a page on `url` would, with its WebSocket authenticated.
 *
 * @example
 * const page = await openLoginPage(host.url);
 * await page.waitFor('confirmed');
 */
export async function openLoginPage(url: string): Promise<NodeBrowser> {
  const jar = cookieJarFetch();
  const headers = { origin: url, 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 Chrome/140.0' };
  const created = await jar.fetch(`${url}/api/auth/qr-login/sessions`, { method: 'POST', headers, body: '{}' });
  if (created.status !== 201) throw new Error(`POST sessions answered ${created.status}: ${await created.text()}`);
  const session = (await created.json()) as CreateSessionResponse;
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/auth/qr-login/ws`, { origin: url });
  const snapshots: StatusSnapshot[] = [];
  const waiters: { state: string; resolve: (s: StatusSnapshot) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as StatusSnapshot & { type: string };
    if (frame.type !== 'state') return;
    snapshots.push(frame);
    for (const waiter of waiters.filter((w) => w.state === frame.state)) waiter.resolve(frame);
  });
  await once(ws, 'open');
  ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
  return {
    session,
    cookies: jar.cookies,
    fetch: jar.fetch,
    waitFor(state) {
      const seen = snapshots.find((s) => s.state === state);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ state, resolve }));
    },
    redeem(body = { sessionId: session.sessionId, browserSecret: session.browserSecret }) {
      return jar.fetch(`${url}/api/auth/qr-login/redeem`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
    },
    close: () => ws.close(),
  };
}
