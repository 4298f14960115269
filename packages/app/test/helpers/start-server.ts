/**
 * A real `@qrlogin/server` on a real HTTP server, port 0, plus the browser-side calls a waiting
 * page makes (create a session, long-poll, WebSocket), so app tests can assert what the server
 * actually did rather than what the app believes.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CreateSessionResponse, StatusSnapshot } from '@qrlogin/protocol';
import { createQrLogin, type DeviceStore, memoryDeviceStore, type QrLogin, type QrLoginOptions } from '@qrlogin/server';
import WebSocket from 'ws';

/** The host's own auth for device registration in these tests: one bearer token per user. */
export const AUTH = {
  alice: { authorization: 'Bearer token-of-alice' },
  bob: { authorization: 'Bearer token-of-bob' },
};

export const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0';

export interface TestServer {
  qr: QrLogin;
  devices: DeviceStore;
  origin: string;
  baseUrl: string;
  /** Server clock in ms: the real one, or a settable one when the test passed `clock: true`. */
  clock: { now: number };
  /** `POST /sessions` as a browser on the host page would (extra headers, e.g. X-Forwarded-For). */
  createSession(headers?: Record<string, string>): Promise<CreateSessionResponse>;
  /** Long-poll: the snapshot once its version is greater than `after` (immediately without it). */
  poll(session: CreateSessionResponse, after?: number): Promise<StatusSnapshot>;
  /** An authenticated WebSocket that collects every state frame. */
  watch(
    session: CreateSessionResponse,
  ): Promise<{ states: StatusSnapshot[]; next(state: string): Promise<StatusSnapshot>; close(): void }>;
  close(): Promise<void>;
}

export async function startServer(options: Partial<QrLoginOptions> & { clock?: boolean } = {}): Promise<TestServer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const devices = options.devices ?? memoryDeviceStore();
  const { clock: useClock, ...rest } = options;
  // A settable clock when asked for (TTL tests), else the real one; the server and the test's
  // phones read the same one, as a real phone's clock would roughly agree with the server's.
  let manual = Date.now();
  const clock = {
    get now() {
      return useClock ? manual : Date.now();
    },
    set now(value: number) {
      if (!useClock) throw new Error('startServer({ clock: true }) to set the clock');
      manual = value;
    },
  };
  const qr = createQrLogin({
    origin,
    devices,
    authenticate: (request) => {
      const header = request.headers.get('authorization');
      if (header === AUTH.alice.authorization) return { userId: 'alice' };
      if (header === AUTH.bob.authorization) return { userId: 'bob' };
      return null;
    },
    ...(useClock ? { now: () => clock.now } : {}),
    ...rest,
  });
  server.on('request', (req, res) => qr.node(req, res));
  qr.attach(server);
  const baseUrl = `${origin}/qrlogin`;

  const createSession = async (headers: Record<string, string> = {}): Promise<CreateSessionResponse> => {
    const res = await fetch(`${baseUrl}/sessions`, {
      method: 'POST',
      headers: { origin, 'user-agent': FIREFOX_UA, 'content-type': 'application/json', ...headers },
      body: '{}',
    });
    if (res.status !== 201) throw new Error(`createSession: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as CreateSessionResponse;
  };

  const poll = async (session: CreateSessionResponse, after?: number): Promise<StatusSnapshot> => {
    const query = after === undefined ? '' : `?after=${after}`;
    const res = await fetch(`${baseUrl}/sessions/${session.sessionId}${query}`, {
      headers: { authorization: `Bearer ${session.browserSecret}`, origin },
    });
    if (res.status !== 200) throw new Error(`poll: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as StatusSnapshot;
  };

  const watch: TestServer['watch'] = async (session) => {
    const socket = new WebSocket(`${baseUrl.replace('http', 'ws')}/ws`, { headers: { origin } });
    const states: StatusSnapshot[] = [];
    const waiters: { state: string; resolve: (s: StatusSnapshot) => void }[] = [];
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as StatusSnapshot & { type: string };
      if (frame.type !== 'state') return;
      states.push(frame);
      for (const waiter of waiters.filter((w) => w.state === frame.state)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
    const next = (state: string) =>
      new Promise<StatusSnapshot>((resolve) => {
        const seen = states.find((s) => s.state === state);
        if (seen) resolve(seen);
        else waiters.push({ state, resolve });
      });
    await next('pending');
    return { states, next, close: () => socket.close() };
  };

  return {
    qr,
    devices,
    origin,
    baseUrl,
    clock,
    createSession,
    poll,
    watch,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
