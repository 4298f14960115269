/**
 * The demo host app: a small site on bare node:http that wires qrlogin in the way a real host
 * would. qrlogin owns `/qrlogin/*` and the WebSocket; the host owns everything else — its login
 * page, its redeem route, its own cookie session, and (playing the mobile app's backend) the
 * app sign-in that authorises device registration.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQrLogin, isQrLoginError, type QrLogin, type QrLoginOptions } from '@qrlogin/server';
import { type Asset, buildAssets } from './build-assets.js';
import { parseCookies, serializeCookie } from './cookies.js';
import { describeDemoRequester } from './describe-demo-requester.js';
import { type HostSession, hostSessionStore } from './host-sessions.js';
import { HttpError } from './http-error.js';
import { loginPage, signedInPage } from './login-page.js';
import { streamMeEvents } from './me-events.js';
import { sendMe } from './me-route.js';
import { phonePage } from './phone-page.js';
import { promptInbox } from './prompt-inbox.js';
import { readRedeemInput } from './read-redeem-input.js';

/**
 * The strict policy the pages are built for: no inline script or style, nothing from elsewhere.
 *
 * @example
 * res.setHeader('content-security-policy', STRICT_CSP);
 */
export const STRICT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  // A login widget must not be framed: a framing page could trick clicks on it.
  "frame-ancestors 'none'",
].join('; ');

/** Options of {@link startDemo}. */
export interface DemoOptions {
  /** Port to listen on; `0` picks a free one. @default 3000 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /**
   * The site's public origin: the audience of the phone's signatures and the base of the QR URL.
   * Without this option, requests for another host name (e.g. `127.0.0.1`) are redirected to
   * `localhost`, so the QR and the page always agree; with it, a proxy in front may rewrite `Host`,
   * so no such check is made.
   * @default `http://localhost:${port}`
   */
  origin?: string;
  /** Send {@link STRICT_CSP} with every page. @default true */
  csp?: boolean;
  /** The phone must type the two digits the login page shows. @default true */
  numberMatching?: boolean;
  /** Who the phone simulator is "signed in to the app" as. @default 'ana@example.com' */
  demoUser?: string;
  /** A second app user, for a phone holding two accounts (`/phone?user=<it>`). @default 'ben@example.com' */
  secondUser?: string;
  /** Passed to `createQrLogin`. @default 120 */
  sessionTtlSeconds?: number;
  /** Passed to `createQrLogin`. @default qrlogin's defaults */
  rateLimits?: QrLoginOptions['rateLimits'];
  /** Passed to `createQrLogin`: the apps that open the QR URL (AASA / assetlinks.json). @default none */
  appLinks?: QrLoginOptions['appLinks'];
}

/** A running demo. */
export interface Demo {
  /** `origin`, e.g. `http://localhost:3000`. */
  url: string;
  /** The qrlogin instance, for tests and logging. */
  qr: QrLogin;
  /** Stops qrlogin and the HTTP server. */
  close(): Promise<void>;
}

export const SESSION_COOKIE = 'demo_session';
const APP_COOKIE = 'demo_app';
const DAY_SECONDS = 86_400;

type Send = (status: number, headers: Record<string, string | string[]>, body?: string | Buffer) => void;
/** No secret: tells the login page to offer "Send a prompt to my phone" (the token is HttpOnly on /qrlogin). */
const LINKED_COOKIE = 'demo_linked';

/**
 * Starts the demo host app and resolves once it listens.
 *
 * @example
 * const demo = await startDemo({ port: 0 });
 * console.log(demo.url); // http://localhost:41235
 * await demo.close();
 */
export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const csp = options.csp ?? true;
  const demoUser = options.demoUser ?? 'ana@example.com';
  const secondUser = options.secondUser ?? 'ben@example.com';
  const assets = await buildAssets();

  const server = http.createServer();
  server.listen(options.port ?? 3000, options.host ?? '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  const origin = options.origin ?? `http://localhost:${port}`;
  const canonicalHost = options.origin === undefined ? new URL(origin).host : undefined;
  const secure = origin.startsWith('https:');

  const logins = hostSessionStore<HostSession>({ ttlSeconds: DAY_SECONDS });
  // The mobile app's own sign-in, simulated: a token cookie that /phone hands out.
  const appUsers = hostSessionStore<string>({ ttlSeconds: DAY_SECONDS });
  // Which host session each qrlogin login created, so ending the login (from the phone) ends it.
  const hostSessionOfLogin = new Map<string, string>();

  const inbox = promptInbox();
  const qr = createQrLogin({
    origin,
    // Linked browsers: redeem mints a prompt token, and a prompt reaches the phone simulator.
    promptDevices: inbox.deliver,
    numberMatching: options.numberMatching ?? true,
    ...(options.sessionTtlSeconds !== undefined ? { sessionTtlSeconds: options.sessionTtlSeconds } : {}),
    ...(options.rateLimits !== undefined ? { rateLimits: options.rateLimits } : {}),
    ...(options.appLinks !== undefined ? { appLinks: options.appLinks } : {}),
    describeRequester: describeDemoRequester,
    // Device registration is authorised by the app's sign-in, never by the website's; linking a
    // new phone (`/qrlogin/links…`) by the website's, the browser's own host session.
    authenticate: (request) => {
      const cookies = parseCookies(request.headers.get('cookie'));
      const userId = new URL(request.url).pathname.startsWith('/qrlogin/links')
        ? logins.get(cookies.get(SESSION_COOKIE))?.userId
        : appUsers.get(cookies.get(APP_COOKIE));
      return userId ? { userId } : null;
    },
    endSession: (login) => {
      logins.delete(hostSessionOfLogin.get(login.id));
      hostSessionOfLogin.delete(login.id);
    },
  });
  qr.attach(server);

  const pageHeaders = (): Record<string, string> => ({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    ...(csp ? { 'content-security-policy': STRICT_CSP } : {}),
  });
  const cookie = (name: string, value: string, maxAgeSeconds: number, sameSite: 'Lax' | 'Strict') =>
    serializeCookie(name, value, { maxAgeSeconds, sameSite, secure });

  /** State-changing host routes only take same-origin requests (defence in depth next to SameSite). */
  const checkSameOrigin = (req: http.IncomingMessage) => {
    const from = req.headers.origin;
    if (from !== undefined && from !== origin) {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', 'cross-site requests are not accepted');
    }
  };

  const redeemRoute = async (req: http.IncomingMessage, send: Send) => {
    checkSameOrigin(req);
    const { sessionId, browserSecret } = await readRedeemInput(req);
    // Once: a second redeem of the same session fails with ALREADY_REDEEMED.
    const login = await qr.redeem({ sessionId, browserSecret });
    // A fresh id for every login, never a reused one (no session fixation).
    logins.delete(parseCookies(req.headers.cookie).get(SESSION_COOKIE));
    const id = logins.create({
      userId: login.userId,
      deviceId: login.deviceId,
      requester: login.requester,
      signedInAt: login.redeemedAt,
      loginId: login.loginId,
    });
    hostSessionOfLogin.set(login.loginId, id);
    send(
      200,
      {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
        'set-cookie': [
          cookie(SESSION_COOKIE, id, DAY_SECONDS, 'Lax'),
          ...(login.promptToken
            ? [qr.promptCookie(login) as string, cookie(LINKED_COOKIE, '1', 90 * DAY_SECONDS, 'Lax')]
            : []),
        ],
      },
      JSON.stringify({ userId: login.userId }),
    );
  };

  const route = async (req: http.IncomingMessage, res: http.ServerResponse, send: Send) => {
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const cookies = parseCookies(req.headers.cookie);

    if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
      const session = logins.get(cookies.get(SESSION_COOKIE));
      return send(
        200,
        pageHeaders(),
        session ? signedInPage(session) : loginPage({ linked: cookies.has(LINKED_COOKIE) }),
      );
    }
    if (url.pathname === '/tv' && (method === 'GET' || method === 'HEAD')) {
      return send(200, pageHeaders(), loginPage({ tv: true }));
    }
    if (url.pathname === '/me' && (method === 'GET' || method === 'HEAD')) {
      return sendMe(logins.get(cookies.get(SESSION_COOKIE)), send);
    }
    if (url.pathname === '/me/events' && method === 'GET') {
      return streamMeEvents(logins, cookies.get(SESSION_COOKIE), res);
    }
    if (url.pathname === '/login/qr') {
      if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      return redeemRoute(req, send);
    }
    if (url.pathname === '/logout') {
      if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'use POST');
      checkSameOrigin(req);
      const signedIn = logins.get(cookies.get(SESSION_COOKIE));
      logins.delete(cookies.get(SESSION_COOKIE));
      // The phone's "Where you're signed in" then shows this browser as signed out.
      if (signedIn) await qr.revokeLogin(signedIn.loginId);
      return send(303, { location: '/', 'set-cookie': cookie(SESSION_COOKIE, '', 0, 'Lax') });
    }
    if (url.pathname === '/phone' && (method === 'GET' || method === 'HEAD')) {
      const headers = pageHeaders();
      const user = url.searchParams.get('user') === secondUser ? secondUser : demoUser;
      if (appUsers.get(cookies.get(APP_COOKIE)) !== user) {
        // Opening the simulator "signs in to the app". Strict: no other site can ride on it to
        // register its own key for this user.
        headers['set-cookie'] = cookie(APP_COOKIE, appUsers.create(user), DAY_SECONDS, 'Strict');
      }
      return send(200, headers, phonePage(user));
    }
    if (url.pathname.startsWith('/assets/') && (method === 'GET' || method === 'HEAD')) {
      const asset: Asset | undefined = assets.get(url.pathname.slice('/assets/'.length));
      if (asset) {
        return send(
          200,
          { 'content-type': asset.contentType, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
          asset.body,
        );
      }
    }
    if (url.pathname === '/demo/prompts' && method === 'GET') {
      const userId = appUsers.get(cookies.get(APP_COOKIE));
      if (!userId) throw new HttpError(401, 'UNAUTHENTICATED', 'open /phone first');
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const qrPayload = await inbox.next(userId, abort.signal);
      const json = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
      return qrPayload ? send(200, json, JSON.stringify({ qrPayload })) : send(204, { 'cache-control': 'no-store' });
    }
    if (url.pathname === '/favicon.ico') return send(204, {});
    // Everything under /qrlogin (sessions, polls, scans, devices, the QR's help page) is qrlogin's.
    qr.node(req, res, () => send(404, { 'content-type': 'text/plain; charset=utf-8' }, 'Not found\n'));
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const send: Send = (status, headers, body) => {
      res.writeHead(status, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (canonicalHost !== undefined && req.headers.host !== canonicalHost) {
      // One origin only: a page opened as 127.0.0.1 would make sessions whose QR says localhost.
      if (req.method === 'GET' || req.method === 'HEAD') {
        return send(308, { location: new URL(req.url ?? '/', origin).href });
      }
      return send(421, { 'content-type': 'text/plain; charset=utf-8' }, `use ${origin}\n`);
    }
    route(req, res, send).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : isQrLoginError(err) ? err.status : 500;
      const code = err instanceof HttpError || isQrLoginError(err) ? err.code : 'INTERNAL_ERROR';
      const message = err instanceof HttpError || isQrLoginError(err) ? err.message : 'internal error';
      if (status === 500) console.error('qrlogin demo:', err);
      if (res.headersSent) return void res.destroy();
      send(
        status,
        { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        JSON.stringify({ error: { code, message } }),
      );
    });
  });

  return {
    url: origin,
    qr,
    async close() {
      inbox.close();
      await qr.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
