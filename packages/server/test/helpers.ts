/**
 * Test helpers: a real qrlogin instance on a real HTTP server (port 0), a phone that signs with a
 * real Ed25519 key, and a browser that listens on a real WebSocket.
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CreateSessionResponse,
  canonicalBytes,
  encodeBase64Url,
  type LoginRequest,
  type ServerFrame,
  type SignatureVersion,
  type SignedFields,
} from '@qrlogin/protocol';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import { contextDigestOf } from '../src/context-digest.js';
import { createQrLogin, type QrLogin, type QrLoginOptions } from '../src/index.js';

// biome-ignore lint/suspicious/noExplicitAny: test responses are read field by field.
export type Body = any;

export interface TestServer {
  qr: QrLogin;
  server: http.Server;
  /** `http://127.0.0.1:PORT` — also the qrlogin origin. */
  origin: string;
  /** `${origin}/qrlogin` */
  base: string;
  close(): Promise<void>;
}

/** Starts qrlogin on a real server on port 0; the origin is only known after listen, so options come as a function. */
export async function startServer(options: Partial<QrLoginOptions> = {}): Promise<TestServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const qr = createQrLogin({ origin, rateLimits: false, ...options });
  server.on('request', (req, res) => qr.node(req, res));
  qr.attach(server);
  return {
    qr,
    server,
    origin,
    base: `${origin}${options.basePath ?? '/qrlogin'}`,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** POSTs JSON and returns status and parsed body. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Body };
}

export async function createSession(
  t: TestServer,
  headers: Record<string, string> = {},
): Promise<CreateSessionResponse> {
  const res = await post(`${t.base}/sessions`, {}, headers);
  if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
  return res.body as CreateSessionResponse;
}

/** A phone with a real Ed25519 key pair. */
export interface TestDevice {
  deviceId: string;
  userId: string;
  publicKey: string;
  privateKey: KeyObject;
  /** Signs canonical bytes for the test server's audience. */
  sign(fields: Omit<SignedFields, 'audience'>, audience?: string): string;
  scan(sessionId: string, overrides?: Record<string, unknown>): Promise<{ status: number; body: Body }>;
  /** A correctly signed confirm body (not sent), for tests that replay, alter or time-shift it. */
  confirmBody(
    request: LoginRequest,
    options?: { timestamp?: number; code?: string; contextDigest?: string },
  ): { deviceId: string; timestamp: number; contextDigest: string; signature: string };
  confirm(request: LoginRequest, overrides?: Record<string, unknown>): Promise<{ status: number; body: Body }>;
  reject(request: LoginRequest, overrides?: Record<string, unknown>): Promise<{ status: number; body: Body }>;
  /** Ends one of its user's logins, as the phone's "End" does (the signed `end-login` call). */
  endLogin(loginId: string): Promise<{ status: number; body: Body }>;
}

export function newKeyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12);
  return { publicKey: encodeBase64Url(raw), privateKey };
}

export function signWith(privateKey: KeyObject, fields: SignedFields, version?: SignatureVersion): string {
  return encodeBase64Url(sign(null, canonicalBytes(fields, version), privateKey));
}

/**
 * An Ed25519 signature with `S + L` in place of `S` (L, the group order): it satisfies the same
 * point equation, and RFC 8032 verifiers must refuse it (tweetnacl's verify does not).
 */
export function malleate(signature: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(signature);
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(bytes[i] as number);
  let sum = s + L;
  for (let i = 32; i < 64; i++) {
    bytes[i] = Number(sum & 255n);
    sum >>= 8n;
  }
  return bytes;
}

export async function newDevice(t: TestServer, userId = 'alice'): Promise<TestDevice> {
  const { publicKey, privateKey } = newKeyPair();
  const record = await t.qr.registerDevice({ userId, publicKey, label: `${userId}'s phone` });
  const device: TestDevice = {
    deviceId: record.id,
    userId,
    publicKey,
    privateKey,
    sign: (fields, audience = t.origin) => signWith(privateKey, { ...fields, audience } as SignedFields),
    async scan(sessionId, overrides = {}) {
      const timestamp = Date.now();
      const body = {
        deviceId: record.id,
        timestamp,
        signature: device.sign({ action: 'scan', sessionId, deviceId: record.id, timestamp }),
        ...overrides,
      };
      return post(`${t.base}/sessions/${sessionId}/scan`, body);
    },
    confirmBody(request, { timestamp = Date.now(), code, contextDigest = contextDigestOf(request) } = {}) {
      // By default the digest of the request as received, as @qrlogin/app computes it.
      return {
        deviceId: record.id,
        timestamp,
        contextDigest,
        signature: device.sign({
          action: 'confirm',
          sessionId: request.sessionId,
          challenge: request.challenge,
          deviceId: record.id,
          contextDigest,
          timestamp,
          ...(code !== undefined ? { code } : {}),
        }),
      };
    },
    async confirm(request, overrides = {}) {
      const code = overrides.code as string | undefined;
      const body = { ...device.confirmBody(request, code !== undefined ? { code } : {}), ...overrides };
      return post(`${t.base}/sessions/${request.sessionId}/confirm`, body);
    },
    async reject(request, overrides = {}) {
      const timestamp = Date.now();
      const body = {
        deviceId: record.id,
        timestamp,
        signature: device.sign({
          action: 'reject',
          sessionId: request.sessionId,
          challenge: request.challenge,
          deviceId: record.id,
          timestamp,
        }),
        ...overrides,
      };
      return post(`${t.base}/sessions/${request.sessionId}/reject`, body);
    },
    async endLogin(loginId) {
      const timestamp = Date.now();
      const signature = device.sign({ action: 'end-login', deviceId: record.id, ref: loginId, timestamp });
      return post(`${t.base}/logins/${loginId}/end`, { deviceId: record.id, timestamp, signature });
    },
  };
  return device;
}

/** A browser socket that records every frame and how it closed. */
export interface TestSocket extends FrameRecorder {
  ws: WebSocket;
}

/** What {@link recordFrames} keeps of a socket: every frame, how it closed, and a way to wait for a state. */
export interface FrameRecorder {
  frames: ServerFrame[];
  closed: Promise<{ code: number; reason: string }>;
  /** Resolves with the first state frame matching `state` (already received or future). */
  waitFor(state: string): Promise<ServerFrame>;
}

/** Records a client socket's frames from now on; shared by every test that plays a browser. */
export function recordFrames(ws: WebSocket): FrameRecorder {
  const frames: ServerFrame[] = [];
  const waiters: { state: string; resolve: (f: ServerFrame) => void }[] = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    frames.push(frame);
    for (const w of [...waiters]) {
      if (frame.type === 'state' && frame.state === w.state) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return {
    frames,
    closed,
    waitFor(state) {
      const seen = frames.find((f) => f.type === 'state' && f.state === state);
      if (seen) return Promise.resolve(seen);
      return new Promise((res) => waiters.push({ state, resolve: res }));
    },
  };
}

export function openSocket(t: TestServer, origin: string | null = t.origin): Promise<TestSocket> {
  const url = `${t.base.replace(/^http/, 'ws')}/ws`;
  const ws = new WebSocket(url, origin === null ? {} : { origin });
  const recorder = recordFrames(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, ...recorder }));
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error('upgrade refused'), { status: res.statusCode })),
    );
    ws.once('error', reject);
  });
}

/** Opens a socket and authenticates it for `session`. */
export async function subscribe(t: TestServer, session: CreateSessionResponse): Promise<TestSocket> {
  const socket = await openSocket(t);
  socket.ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
  await socket.waitFor('pending');
  return socket;
}

/**
 * Starts real servers for the tests of one file and closes every one of them after each test.
 * Call once at the top level of a test file.
 */
export function serversPerTest(): (options?: Partial<QrLoginOptions>) => Promise<TestServer> {
  const running: TestServer[] = [];
  afterEach(async () => {
    for (const server of running.splice(0)) await server.close();
  });
  return async (options = {}) => {
    const server = await startServer(options);
    running.push(server);
    return server;
  };
}

/** Polls `fn` until it is true (e.g. the server counting a socket down on its `close` event). */
export async function until(fn: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
