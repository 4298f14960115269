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
  // Ready once the server on the port says it is this process: the log line format differs between
  // Redis versions, and a free port handed to two test files at once (another Redis test, the
  // Cluster's twelve ports) must not make both believe they own the one server that bound it.
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${output}`);
    if (await answers(port, child.pid)) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer on port ${port}: ${output}`);
}

async function answers(port: number, pid: number | undefined): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('INFO server\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      const found = /process_id:(\d+)/.exec(reply);
      if (!found && !reply.startsWith('-')) return;
      socket.destroy();
      resolve(Number(found?.[1]) === pid);
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
  let port = 0;
  let child: ChildProcess | undefined;
  // The free port may be taken by someone else before redis-server binds it: try another.
  for (let attempt = 1; !child; attempt++) {
    port = await freePort();
    child = await spawnRedis(port, dir).catch((err) => {
      if (attempt === 3) throw err;
      return undefined;
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
