/**
 * A private `redis-server` per test file: started on a free port with persistence off, so tests are
 * isolated from each other and from any Redis on the machine, and outage tests can stop and start
 * it at will.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where the tests look for the Redis binary (override with `REDIS_SERVER`). */
export const REDIS_SERVER_PATH = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/**
 * True when Redis tests must be skipped: the binary is missing and this is not CI. On CI a missing
 * binary is not skipped: the tests run and fail, as they must.
 */
export const skipWithoutRedis = !existsSync(REDIS_SERVER_PATH) && process.env.CI !== 'true';
if (skipWithoutRedis) {
  console.warn(
    `[qrlogin] SKIPPING Redis tests: ${REDIS_SERVER_PATH} not found (install redis-server or set REDIS_SERVER). They run, and fail, when CI=true.`,
  );
}

/** A running (or stopped, restartable) Redis child process. */
export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  /** Stops the process (SIGTERM) and waits until it is gone; a persistent server keeps its data. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open, nothing answers. */
  freeze(): void;
  /** Thaws a frozen process (SIGCONT). */
  thaw(): void;
}

/** A free loopback TCP port (closed again; the caller binds it next). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Spawns `redis-server` on `port` and resolves once it answers PING. With `dir`, it persists every
 * command there; `extra` arguments are appended (e.g. the Cluster settings).
 *
 * @example
 * const child = await spawnRedis(port, undefined, ['--cluster-enabled', 'yes']);
 */
export async function spawnRedis(port: number, dir: string | undefined, extra: string[] = []): Promise<ChildProcess> {
  // Persistent servers write every command to an append-only file before answering, so a killed
  // and restarted server has lost nothing, like a production primary with AOF `always`.
  const persistence = dir ? ['--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
  const child = spawn(
    REDIS_SERVER_PATH,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--loglevel', 'warning', ...extra],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  // Ready once a TCP connection gets a PONG: the log line format differs between Redis versions.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output}`);
    // The PONG must come from this child: when another process already holds the port, the child
    // has not yet failed to bind while that process answers, and the test would use its data.
    if (await pings(port)) {
      if ((await serverPid(port)) === child.pid) return child;
      child.kill('SIGKILL');
      throw new PortTakenError(port);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}: ${output}`);
}

/** Thrown by {@link spawnRedis} when another process answers on the port it was given. */
export class PortTakenError extends Error {
  constructor(port: number) {
    super(`another process answers on port ${port}`);
  }
}

/** `process_id` from `INFO server` of whatever answers on `port`. */
async function serverPid(port: number): Promise<number | undefined> {
  const { Redis } = await import('ioredis');
  const client = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  try {
    await client.connect();
    const info = await client.info('server');
    return Number(/process_id:(\d+)/.exec(info)?.[1]);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

async function pings(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Starts a fresh `redis-server` on a free port; `persistent` keeps its data across `stop()` /
 * `start()` (append-only file in a temporary directory).
 *
 * @example
 * const redis = await startRedisServer();
 * const client = new Redis(redis.port, '127.0.0.1');
 * afterAll(() => redis.stop());
 */
export async function startRedisServer(options: { persistent?: boolean } = {}): Promise<RedisServer> {
  const dir = options.persistent ? await mkdtemp(join(tmpdir(), 'qrlogin-redis-')) : undefined;
  // A freed port may be taken again before redis-server binds it (other test files start servers
  // too): try another one.
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    child = await spawnRedis(port, dir).catch((err: unknown) => {
      if (err instanceof PortTakenError && attempt < 5) return undefined;
      throw err;
    });
  }
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGCONT');
    const exited = once(running, 'exit');
    running.kill('SIGTERM');
    await exited;
  };
  // A test run that dies must not leave Redis processes behind.
  process.once('exit', () => {
    child?.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    async start() {
      if (child) throw new Error('redis-server is already running');
      child = await spawnRedis(port, dir);
    },
    freeze() {
      child?.kill('SIGSTOP');
    },
    thaw() {
      child?.kill('SIGCONT');
    },
  };
}
