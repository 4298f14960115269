/**
 * The load generator: its own process, driven by bench/run.ts over IPC. It plays the waiting
 * browsers (WebSocket or polling) and the phones (signed scan + confirm over keep-alive HTTP), and
 * measures in one process with one monotonic clock: confirm request sent → `confirmed` seen.
 */
import { performance } from 'node:perf_hooks';
import { type Socket as IoSocket, io as ioClient } from 'socket.io-client';
import type { LoginRequest } from '../../packages/protocol/src/index.js';
import { contextDigestOf } from '../../packages/server/src/context-digest.js';
import { BENCH_ORIGIN } from '../lib/constants.js';
import { serveIpc } from '../lib/ipc.js';
import { statsHandlers } from '../lib/process-stats.js';
import { summarize } from '../lib/stats.js';
import { type HttpClient, httpClient } from './http-client.js';
import { type BenchDevice, loadDevices, type Signer, signerFor } from './signer.js';
import { WsClient } from './ws-client.js';

interface Browser {
  sessionId: string;
  secret: string;
  ws?: WsClient;
  state: string;
  /** performance.now() when the phone's confirm request was sent. */
  confirmSentAt?: number;
  /** qrlogin: digest of the login request the scan returned, which the confirm signs. */
  contextDigest?: string;
  detected: boolean;
  pollTimer?: NodeJS.Timeout;
  onState?: (state: string) => void;
}

interface Target {
  kind: 'qrlogin' | 'bare';
  /** Port the browsers use (create, socket, poll). */
  browserPort: number;
  /** Port the phones use (scan, confirm). */
  phonePort: number;
  devices: BenchDevice[];
}

const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const BASE = '/qrlogin';

let target: Target;
let browserHttp: HttpClient;
let phoneHttp: HttpClient;
let sign: Signer;
let devices: ReturnType<typeof loadDevices> = [];
let browsers: Browser[] = [];
let ioSockets: IoSocket[] = [];
let latencies: number[] = [];
// Confirm request sent → its HTTP answer received: the phone-side share of the push latency.
let answered: number[] = [];
let errors: string[] = [];
let polls = 0;
let pollErrors = 0;
let prepared: { b: Browser; body: string }[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function noteError(where: string, detail: unknown): void {
  if (errors.length < 20) errors.push(`${where}: ${detail instanceof Error ? detail.message : String(detail)}`);
  else errors.push('');
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

function onState(b: Browser, state: string): void {
  b.state = state;
  if (state === 'confirmed' && b.confirmSentAt !== undefined && !b.detected) {
    b.detected = true;
    latencies.push(performance.now() - b.confirmSentAt);
  }
  b.onState?.(state);
}

async function createSession(): Promise<Browser> {
  const res = await browserHttp.request('POST', `${BASE}/sessions`, '{}', { origin: BENCH_ORIGIN, 'user-agent': UA });
  if (res.status !== 201) throw new Error(`create ${res.status} ${res.text.slice(0, 120)}`);
  const body = JSON.parse(res.text) as { sessionId: string; browserSecret: string };
  return { sessionId: body.sessionId, secret: body.browserSecret, state: 'new', detected: false };
}

/** Opens the browser's socket, authenticates, and resolves on the first state frame. */
function openSocket(b: Browser): Promise<void> {
  return new Promise((resolve, reject) => {
    let first = true;
    const ws = new WsClient(target.browserPort, `${BASE}/ws`, BENCH_ORIGIN, {
      open: () => ws.send(JSON.stringify({ type: 'auth', sessionId: b.sessionId, browserSecret: b.secret })),
      message: (text) => {
        const frame = JSON.parse(text) as { type: string; state?: string };
        if (frame.type !== 'state' || !frame.state) return;
        onState(b, frame.state);
        if (first) {
          first = false;
          resolve();
        }
      },
      close: (code, reason) => {
        if (first) reject(new Error(`socket closed ${code} ${reason} before the first frame`));
      },
    });
    b.ws = ws;
  });
}

function waitForState(b: Browser, state: string, timeoutMs: number): Promise<void> {
  if (b.state === state) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${state} within ${timeoutMs} ms`)), timeoutMs);
    b.onState = (s) => {
      if (s === state) {
        clearTimeout(timer);
        b.onState = undefined;
        resolve();
      }
    };
  });
}

async function poll(b: Browser): Promise<void> {
  const res = await browserHttp.request('GET', `${BASE}/sessions/${b.sessionId}`, undefined, {
    authorization: `Bearer ${b.secret}`,
  });
  polls++;
  if (res.status !== 200) throw new Error(`poll ${res.status}`);
  onState(b, (JSON.parse(res.text) as { state: string }).state);
}

/** Polls every `intervalMs` on a fixed cadence, first at a random offset (browsers load at random times). */
function startPolling(b: Browser, intervalMs: number): void {
  let nextAt = performance.now() + Math.random() * intervalMs;
  const tick = () => {
    if (b.detected) return;
    poll(b).then(
      () => {},
      () => {
        pollErrors++;
      },
    );
    nextAt += intervalMs;
    b.pollTimer = setTimeout(tick, Math.max(0, nextAt - performance.now()));
  };
  b.pollTimer = setTimeout(tick, Math.max(0, nextAt - performance.now()));
}

function device(i: number) {
  return devices[i % devices.length] as (typeof devices)[number];
}

async function scan(b: Browser, i: number): Promise<string> {
  const d = device(i);
  const timestamp = Date.now();
  const body = JSON.stringify({
    deviceId: d.deviceId,
    timestamp,
    signature: sign('scan', b.sessionId, '', d, timestamp),
  });
  const res = await phoneHttp.request('POST', `${BASE}/sessions/${b.sessionId}/scan`, body);
  if (res.status !== 200) throw new Error(`scan ${res.status} ${res.text.slice(0, 160)}`);
  const request = JSON.parse(res.text) as LoginRequest;
  // As the app does before it shows the request: the bare baselines send no context to hash.
  if (request.requester) b.contextDigest = contextDigestOf(request);
  return request.challenge;
}

function confirmBody(b: Browser, i: number, challenge: string): string {
  const d = device(i);
  const timestamp = Date.now();
  return JSON.stringify({
    deviceId: d.deviceId,
    timestamp,
    signature: sign('confirm', b.sessionId, challenge, d, timestamp, b.contextDigest),
    ...(b.contextDigest ? { contextDigest: b.contextDigest } : {}),
  });
}

async function sendConfirm(b: Browser, body: string): Promise<void> {
  b.confirmSentAt = performance.now();
  const res = await phoneHttp.request('POST', `${BASE}/sessions/${b.sessionId}/confirm`, body);
  if (res.status !== 200) throw new Error(`confirm ${res.status} ${res.text.slice(0, 160)}`);
}

function closeAll(): void {
  for (const b of browsers) {
    if (b.pollTimer) clearTimeout(b.pollTimer);
    b.ws?.terminate();
  }
  for (const s of ioSockets) s.disconnect();
  browsers = [];
  ioSockets = [];
}

function errorReport() {
  return { errorCount: errors.length, errorSamples: errors.filter(Boolean).slice(0, 5) };
}

serveIpc({
  ...statsHandlers,
  init(args: Target) {
    target = args;
    browserHttp?.destroy();
    phoneHttp?.destroy();
    browserHttp = httpClient(args.browserPort);
    phoneHttp = args.phonePort === args.browserPort ? browserHttp : httpClient(args.phonePort);
    sign = signerFor(args.kind);
    devices = loadDevices(args.devices);
    closeAll();
    errors = [];
    return null;
  },

  /** Creates `count` sessions and makes each a waiting browser: a socket (`ws`), a poller (`poll`), or nothing. */
  async openBrowsers(args: { count: number; concurrency: number; mode: 'ws' | 'poll' | 'none'; intervalMs?: number }) {
    const started = performance.now();
    errors = [];
    const created: Browser[] = [];
    await pool(args.count, args.concurrency, async () => {
      try {
        const b = await createSession();
        if (args.mode === 'ws') await openSocket(b);
        if (args.mode === 'poll') startPolling(b, args.intervalMs ?? 2000);
        created.push(b);
      } catch (err) {
        noteError('open', err);
      }
    });
    browsers.push(...created);
    return { opened: created.length, total: browsers.length, ms: performance.now() - started, ...errorReport() };
  },

  /** Creates `count` sessions over HTTP and keeps nothing: the soak's load (the sessions are left to expire). */
  async createSessions(args: { count: number; concurrency: number }) {
    errors = [];
    let created = 0;
    await pool(args.count, args.concurrency, async () => {
      try {
        await createSession();
        created++;
      } catch (err) {
        noteError('create', err);
      }
    });
    return { created, failed: args.count - created, ...errorReport() };
  },

  /** Opens `count` socket.io connections that each join a room. */
  async openSocketIo(args: { count: number; concurrency: number; port: number }) {
    const started = performance.now();
    errors = [];
    let opened = 0;
    await pool(args.count, args.concurrency, async (i) => {
      try {
        const socket = ioClient(`http://127.0.0.1:${args.port}`, {
          transports: ['websocket'],
          forceNew: true,
          reconnection: false,
        });
        ioSockets.push(socket);
        await new Promise<void>((resolve, reject) => {
          socket.once('connect_error', reject);
          socket.once('connect', () => socket.emit('join', `session-${i}`, () => resolve()));
        });
        opened++;
      } catch (err) {
        noteError('socket.io', err);
      }
    });
    return { opened, total: ioSockets.length, ms: performance.now() - started, ...errorReport() };
  },

  /**
   * Open loop: the i-th phone scans at t0 + i / rate and confirms as soon as the scan answers;
   * latency runs from the confirm request leaving to the waiting browser seeing `confirmed`.
   */
  async confirmAtRate(args: { count: number; rate: number; settleMs: number }) {
    latencies = [];
    answered = [];
    errors = [];
    const pending = browsers.filter((b) => b.state === 'pending' || b.state === 'new');
    const count = Math.min(args.count, pending.length);
    const inflight: Promise<void>[] = [];
    const t0 = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(count, Math.floor(((performance.now() - t0) * args.rate) / 1000) + 1);
        while (sent < due) {
          const i = sent++;
          const b = pending[i] as Browser;
          inflight.push(
            scan(b, i)
              .then((challenge) => sendConfirm(b, confirmBody(b, i, challenge)))
              .then(() => {
                answered.push(performance.now() - (b.confirmSentAt as number));
              })
              .catch((err) => noteError('phone', err)),
          );
        }
        if (sent >= count) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    const sendWindowMs = performance.now() - t0;
    await Promise.all(inflight);
    const deadline = performance.now() + args.settleMs;
    const targets = pending.slice(0, count);
    while (targets.some((b) => !b.detected) && performance.now() < deadline) await sleep(20);
    const missed = targets.filter((b) => !b.detected).length;
    return {
      latency: summarize(latencies),
      samples: latencies.map((x) => Math.round(x * 1000) / 1000),
      answeredSamples: answered.map((x) => Math.round(x * 1000) / 1000),
      sent: count,
      missed,
      achievedRate: (count * 1000) / sendWindowMs,
      polls,
      pollErrors,
      ...errorReport(),
    };
  },

  /**
   * Complete logins in a closed loop, in the order the browser client takes them: create → socket +
   * auth → scan → confirm → `confirmed` (the socket is closed) → redeem.
   */
  async loginsClosedLoop(args: { durationMs: number; concurrency: number }) {
    errors = [];
    const loginMs: number[] = [];
    let done = 0;
    let n = 0;
    const t0 = performance.now();
    const end = t0 + args.durationMs;
    const worker = async () => {
      while (performance.now() < end) {
        const i = n++;
        const started = performance.now();
        let b: Browser | undefined;
        try {
          b = await createSession();
          await openSocket(b);
          const challenge = await scan(b, i);
          const waiting = waitForState(b, 'confirmed', 10_000);
          await sendConfirm(b, confirmBody(b, i, challenge));
          await waiting;
          // As @qrlogin/browser does: on `confirmed` the page stops listening, then redeems.
          b.ws?.close(1000);
          const res = await browserHttp.request(
            'POST',
            '/login/qr',
            JSON.stringify({ sessionId: b.sessionId, browserSecret: b.secret }),
          );
          if (res.status !== 200) throw new Error(`redeem ${res.status} ${res.text.slice(0, 120)}`);
          done++;
          loginMs.push(performance.now() - started);
        } catch (err) {
          noteError('login', err);
        } finally {
          // A login that failed part-way leaves its socket open; a closing one finishes its handshake.
          if (b?.ws && b.ws.readyState !== WsClient.CLOSING) b.ws.terminate();
        }
      }
    };
    await Promise.all(Array.from({ length: args.concurrency }, worker));
    const elapsed = performance.now() - t0;
    return {
      logins: done,
      perSecond: (done * 1000) / elapsed,
      elapsedMs: elapsed,
      loginMs: summarize(loginMs),
      ...errorReport(),
    };
  },

  /** Confirms alone, step 1: sessions created and scanned, confirm bodies signed ahead (not timed). */
  async prepareConfirms(args: { count: number }) {
    errors = [];
    prepared = [];
    await pool(args.count, 64, async (i) => {
      try {
        const b = await createSession();
        const challenge = await scan(b, i);
        prepared.push({ b, body: confirmBody(b, i, challenge) });
      } catch (err) {
        noteError('setup', err);
      }
    });
    return { prepared: prepared.length, ...errorReport() };
  },

  /** Confirms alone, step 2: fires the prepared confirms in a closed loop of `concurrency`. */
  async fireConfirms(args: { concurrency: number }) {
    errors = [];
    let ok = 0;
    const batch = prepared;
    prepared = [];
    const t0 = performance.now();
    await pool(batch.length, args.concurrency, async (i) => {
      const { b, body } = batch[i] as { b: Browser; body: string };
      try {
        await sendConfirm(b, body);
        ok++;
      } catch (err) {
        noteError('confirm', err);
      }
    });
    const elapsed = performance.now() - t0;
    return { confirms: ok, perSecond: (ok * 1000) / elapsed, elapsedMs: elapsed, ...errorReport() };
  },

  /**
   * `count` requests for a path the server answers at once (a 404), one at a time at `rate` per
   * second over one keep-alive connection: what this machine charges a server for a lone request.
   */
  async lonelyRequests(args: { count: number; rate: number }) {
    errors = [];
    const t0 = performance.now();
    for (let i = 0; i < args.count; i++) {
      const wait = t0 + (i * 1000) / args.rate - performance.now();
      if (wait > 0) await sleep(wait);
      const res = await phoneHttp.request('GET', '/nothing-here');
      if (res.status !== 404) noteError('lonely request', `status ${res.status}`);
    }
    return { ms: performance.now() - t0, ...errorReport() };
  },

  counters: () => ({ browsers: browsers.length, polls, pollErrors }),
  resetCounters() {
    polls = 0;
    pollErrors = 0;
    return null;
  },
  closeAll() {
    closeAll();
    return null;
  },
});
