/**
 * The multi-instance test rig: qrlogin instances as separate processes (test/helpers/redis-instance.ts)
 * on one Redis, a browser that talks to any of them over real HTTP and WebSocket, and a phone that
 * signs with a real Ed25519 key. Every browser and phone has its own client IP (sent through
 * `X-Forwarded-For`, the instances trust one proxy hop) so per-IP rate limits stay per test actor.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, randomInt, sign } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import {
  type CreateSessionResponse,
  canonicalBytes,
  encodeBase64Url,
  type LoginRequest,
  type ServerFrame,
  type SignedFields,
  type StatusSnapshot,
} from '../../packages/protocol/src/index.js';
import { contextDigestOf } from '../../packages/server/src/context-digest.js';
import { recordFrames } from '../../packages/server/test/helpers.js';

/** The public origin every instance shares, as behind one load balancer. */
export const ORIGIN = 'https://login.example';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./redis-instance.ts', import.meta.url));

/** A running instance process. */
export interface Instance {
  readonly name: string;
  readonly child: ChildProcess;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `${url}/qrlogin` */
  readonly base: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | string | null>;
  /** Everything the process wrote to stderr. */
  stderr(): string;
  /** SIGKILL: a crash, nothing graceful. */
  kill(): Promise<void>;
  /** SIGTERM: graceful shutdown. */
  stop(): Promise<void>;
}

/**
 * Spawns an instance and waits until it serves.
 *
 * @example
 * const a = await startInstance('a', { REDIS_PORT: String(redis.port), KEY_PREFIX: 'mi:' });
 */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@qrlogin/source', ENTRY], {
    cwd: ROOT,
    env: { ...process.env, ORIGIN, INSTANCE_NAME: name, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) {
        child.stdout?.off('data', onData);
        resolve((JSON.parse(line) as { port: number }).port);
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => reject(new Error(`instance ${name} exited (${code}) before serving: ${stderr}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    name,
    child,
    url,
    base: `${url}/qrlogin`,
    exited,
    stderr: () => stderr,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** Where a test actor sends its requests: an {@link Instance}, or an in-process server's URLs. */
export type Endpoint = Pick<Instance, 'base' | 'url'>;

/** A fresh client IP from the benchmarking range 198.18.0.0/15. */
export function randomIp(): string {
  return `198.${18 + randomInt(2)}.${randomInt(256)}.${1 + randomInt(254)}`;
}

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field in tests.
export type Body = any;

/** A JSON request to an instance; answers status, body and the error code if any. */
export async function call(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Body; code: string | undefined }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  const body = text ? (JSON.parse(text) as Body) : undefined;
  return { status: res.status, body, code: body?.error?.code };
}

/** The browser side of one login: the secret it holds, and its client IP. */
export interface BrowserSession extends CreateSessionResponse {
  ip: string;
}

/**
 * `POST /sessions` on `instance` as a page of {@link ORIGIN}.
 *
 * @example
 * const session = await createSession(a);
 */
export async function createSession(instance: Endpoint, ip = randomIp()): Promise<BrowserSession> {
  const res = await call(`${instance.base}/sessions`, {
    body: {},
    headers: { origin: ORIGIN, 'x-forwarded-for': ip },
  });
  if (res.status !== 201) throw Object.assign(new Error(`create failed: ${res.status} ${res.code}`), res);
  return { ...(res.body as CreateSessionResponse), ip };
}

/** `GET /sessions/:id?after=N`, the long-poll. */
export function poll(instance: Endpoint, session: BrowserSession, after?: number) {
  const query = after === undefined ? '' : `?after=${after}`;
  return call(`${instance.base}/sessions/${session.sessionId}${query}`, {
    headers: { authorization: `Bearer ${session.browserSecret}`, 'x-forwarded-for': session.ip },
  });
}

/** The host's own login route on `instance`, which calls `qr.redeem()`. */
export function redeem(instance: Endpoint, session: BrowserSession) {
  return call(`${instance.url}/login/qr`, {
    body: { sessionId: session.sessionId, browserSecret: session.browserSecret },
  });
}

/** A browser's authenticated WebSocket, recording every frame. */
export interface BrowserSocket {
  ws: WebSocket;
  frames: ServerFrame[];
  closed: Promise<{ code: number; reason: string }>;
  /** The first state frame with `state` (already received or future). */
  waitFor(state: StatusSnapshot['state']): Promise<ServerFrame>;
  /** States received so far, in order. */
  states(): string[];
}

/**
 * Opens `${base}/ws` on `instance` and sends the auth frame. Resolves once the socket is open;
 * use `waitFor` for the first snapshot. Rejects with `{ status, code }` when the upgrade is refused.
 *
 * @example
 * const socket = await openSocket(a, session);
 * await socket.waitFor('pending');
 */
export async function openSocket(instance: Endpoint, session: BrowserSession): Promise<BrowserSocket> {
  const ws = new WebSocket(`${instance.base.replace(/^http/, 'ws')}/ws`, {
    origin: ORIGIN,
    headers: { 'x-forwarded-for': session.ip },
  });
  const recorder = recordFrames(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    // A refused upgrade is an HTTP answer with the error body: reject with its status and code.
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => {
        const code = (JSON.parse(text || '{}') as Body).error?.code;
        reject(
          Object.assign(new Error(`upgrade refused: ${res.statusCode} ${code}`), { status: res.statusCode, code }),
        );
      });
    });
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  ws.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret }));
  const { frames } = recorder;
  return {
    ws,
    ...recorder,
    states: () => frames.map((f) => (f.type === 'state' ? f.state : `error:${f.error.code}`)),
  };
}

/** A phone with a registered device key. */
export interface Phone {
  userId: string;
  deviceId: string;
  ip: string;
  scan(instance: Endpoint, sessionId: string): Promise<{ status: number; body: Body; code: string | undefined }>;
  confirm(instance: Endpoint, request: LoginRequest): Promise<{ status: number; body: Body; code: string | undefined }>;
  reject(instance: Endpoint, request: LoginRequest): Promise<{ status: number; body: Body; code: string | undefined }>;
}

function keyPair(): { publicKey: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // The raw 32-byte key is the tail of the SPKI DER encoding.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  return { publicKey: encodeBase64Url(raw), privateKey };
}

function signed(privateKey: KeyObject, fields: Omit<SignedFields, 'audience'>): string {
  return encodeBase64Url(sign(null, canonicalBytes({ ...fields, audience: ORIGIN } as SignedFields), privateKey));
}

/**
 * Registers a new device for `userId` through `POST /devices` on `instance` (the host's
 * `authenticate` hook of the test instance trusts `x-test-user`), and returns the phone.
 *
 * @example
 * const phone = await newPhone(a, 'alice');
 * const request = (await phone.scan(b, session.sessionId)).body;
 */
export async function newPhone(instance: Endpoint, userId: string): Promise<Phone> {
  const { publicKey, privateKey } = keyPair();
  const ip = randomIp();
  const timestamp = Date.now();
  const res = await call(`${instance.base}/devices`, {
    body: {
      publicKey,
      label: `${userId}'s phone`,
      timestamp,
      signature: signed(privateKey, { action: 'register', publicKey, userId, timestamp }),
    },
    headers: { 'x-test-user': userId, 'x-forwarded-for': ip },
  });
  if (res.status !== 201) throw Object.assign(new Error(`register failed: ${res.status} ${res.code}`), res);
  const deviceId = (res.body as { deviceId: string }).deviceId;
  const decide = (action: 'confirm' | 'reject') => (on: Endpoint, request: LoginRequest) => {
    const ts = Date.now();
    // A confirm signs the digest of the request the phone was sent (version 3); a reject does not.
    const digest = action === 'confirm' ? { contextDigest: contextDigestOf(request) } : {};
    const signature = signed(privateKey, {
      action,
      sessionId: request.sessionId,
      challenge: request.challenge,
      deviceId,
      timestamp: ts,
      ...digest,
    });
    return call(`${on.base}/sessions/${request.sessionId}/${action}`, {
      body: { deviceId, timestamp: ts, signature, ...digest },
      headers: { 'x-forwarded-for': ip },
    });
  };
  return {
    userId,
    deviceId,
    ip,
    scan(on, sessionId) {
      const ts = Date.now();
      return call(`${on.base}/sessions/${sessionId}/scan`, {
        body: {
          deviceId,
          timestamp: ts,
          signature: signed(privateKey, { action: 'scan', sessionId, deviceId, timestamp: ts }),
        },
        headers: { 'x-forwarded-for': ip },
      });
    },
    confirm: decide('confirm'),
    reject: decide('reject'),
  };
}
