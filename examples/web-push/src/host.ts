/**
 * A small host: its own cookie sessions, qrlogin mounted at `/qrlogin` with the Web Push notifier,
 * a route where a signed-in browser saves its push subscription, and the page plus service worker
 * that subscribe and show the notification.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createQrLogin, type QrLogin, type QrLoginOptions } from '@qrlogin/server';
import { memoryPushSubscriptions, type PushSubscriptions, parseSubscription } from './push-subscriptions.js';
import { webPushNotifier } from './web-push-notifier.js';

/** Options of {@link startWebPushHost}. */
export interface WebPushHostOptions {
  vapid: { subject: string; publicKey: string; privateKey: string };
  /** @default 0 (any free port) */
  port?: number;
  subscriptions?: PushSubscriptions;
  /** Passed to {@link webPushNotifier} (tests trust their local push service's certificate with it). */
  pushAgent?: Agent;
  /** Extra qrlogin options (tests turn rate limits off, listen to events). */
  qrlogin?: Partial<QrLoginOptions>;
}

/** A running host. */
export interface WebPushHost {
  url: string;
  qr: QrLogin;
  subscriptions: PushSubscriptions;
  close(): Promise<void>;
}

const COOKIE = 'host_session';

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 8192) throw new Error('body too large');
  }
  return text ? JSON.parse(text) : {};
}

const page = (vapidPublicKey: string) => `<!doctype html>
<meta charset="utf-8"><title>Web Push on new sign-ins</title>
<p>Signed in? <button id="on">Tell me about new sign-ins</button></p>
<script type="module">
document.getElementById('on').onclick = async () => {
  const registration = await navigator.serviceWorker.register('/sw.js');
  const raw = Uint8Array.from(atob(${JSON.stringify(vapidPublicKey)}.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: raw });
  await fetch('/push/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(subscription) });
};
</script>`;

const SERVICE_WORKER = `self.addEventListener('push', (event) => {
  const push = event.data ? event.data.json() : { title: 'New sign-in', body: '' };
  event.waitUntil(self.registration.showNotification(push.title, { body: push.body, tag: push.sessionId }));
});`;

/**
 * Starts the host on `port`. Its own login is a stand-in (`POST /demo/sign-in {"userId"}` sets the
 * cookie): what matters here is that a browser signed in with that cookie saves a subscription,
 * and every later QR sign-in of the same user pushes to it.
 *
 * @example
 * const host = await startWebPushHost({ vapid: { subject: 'mailto:ops@example.com', ...webpush.generateVAPIDKeys() } });
 * console.log(host.url);
 */
export async function startWebPushHost(options: WebPushHostOptions): Promise<WebPushHost> {
  const sessions = new Map<string, string>();
  const subscriptions = options.subscriptions ?? memoryPushSubscriptions();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const userOf = (cookieHeader: string | null | undefined): string | null => {
    const match = new RegExp(`(?:^|;\\s*)${COOKIE}=([A-Za-z0-9_-]{43})`).exec(cookieHeader ?? '');
    return match ? (sessions.get(match[1] as string) ?? null) : null;
  };
  const startSession = (userId: string): string => {
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, userId);
    return `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`;
  };

  const qr = createQrLogin({
    origin,
    authenticate: (request) => {
      const userId = userOf(request.headers.get('cookie'));
      return userId ? { userId } : null;
    },
    notify: webPushNotifier({
      subscriptions,
      vapid: options.vapid,
      ...(options.pushAgent ? { agent: options.pushAgent } : {}),
    }),
    ...options.qrlogin,
  });

  server.on('request', (req, res) => {
    qr.node(req, res, async () => {
      try {
        const path = new URL(req.url ?? '/', origin).pathname;
        if (req.method === 'GET' && path === '/') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(page(options.vapid.publicKey));
        } else if (req.method === 'GET' && path === '/sw.js') {
          res.writeHead(200, { 'content-type': 'text/javascript' });
          res.end(SERVICE_WORKER);
        } else if (req.method === 'POST' && path === '/demo/sign-in') {
          const { userId } = (await readJson(req)) as { userId?: unknown };
          if (typeof userId !== 'string' || userId === '') return send(res, 400, { error: 'userId' });
          send(res, 200, { userId }, { 'set-cookie': startSession(userId) });
        } else if (req.method === 'POST' && path === '/push/subscribe') {
          // A cookie-authenticated state change: only the site's own pages may make it (CSRF).
          if (req.headers.origin !== origin) return send(res, 403, { error: 'origin' });
          const userId = userOf(req.headers.cookie);
          if (!userId) return send(res, 401, { error: 'sign in first' });
          const subscription = parseSubscription(await readJson(req));
          if (!subscription) return send(res, 400, { error: 'not a push subscription' });
          subscriptions.add(userId, subscription);
          send(res, 201, { ok: true });
        } else if (req.method === 'POST' && path === '/login/qr') {
          const { sessionId, browserSecret } = (await readJson(req)) as Record<string, string>;
          const login = await qr.redeem({ sessionId: String(sessionId), browserSecret: String(browserSecret) });
          send(res, 200, { userId: login.userId }, { 'set-cookie': startSession(login.userId) });
        } else {
          send(res, 404, { error: 'not found' });
        }
      } catch (error) {
        send(res, (error as { status?: number }).status ?? 400, { error: String((error as Error).message) });
      }
    });
  });
  qr.attach(server);

  return {
    url: origin,
    qr,
    subscriptions,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
