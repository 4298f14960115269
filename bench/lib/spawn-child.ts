import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildChildren } from './build-children.js';
import type { IpcReady, IpcResponse } from './ipc.js';

/** A bench process (server or load generator) driven over IPC. */
export interface Child {
  readonly pid: number;
  /** What the child said when it became ready (e.g. its port). */
  readonly info: Record<string, unknown>;
  call<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit (SIGTERM to its pid), SIGKILL after a grace period. */
  stop(): Promise<void>;
}

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Open-file limit of the children (the shell wrapper raises the soft limit to the hard one). */
export async function childFileLimit(): Promise<number> {
  const child = spawn('/bin/sh', ['-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; ulimit -n'], { stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (d) => {
    out += String(d);
  });
  await new Promise((resolve) => child.on('close', resolve));
  return Number(out.trim());
}

/**
 * Starts `bench/<file>` in its own Node process (bundled first by {@link buildChildren}, run with
 * `--expose-gc`), behind a shell that raises the open-file limit as far as it is allowed.
 * Set `BENCH_CPU_PROF=1` to write `--cpu-prof` profiles of server processes to `bench/results/profiles`.
 */
export async function spawnChild(
  file: string,
  env: Record<string, string> = {},
  options: { profile?: boolean; nodeArgs?: string[] } = {},
): Promise<Child> {
  const outdir = await buildChildren();
  const nodeArgs = ['--expose-gc', ...(options.nodeArgs ?? [])];
  if (options.profile && process.env.BENCH_CPU_PROF === '1') {
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${BENCH_DIR}results/profiles`);
  }
  const proc: ChildProcess = spawn(
    '/bin/sh',
    [
      '-c',
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
      process.execPath,
      ...nodeArgs,
      `${outdir}/${file.replace(/\.ts$/, '.mjs')}`,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, BENCH_RESULTS_DIR: `${BENCH_DIR}results`, ...env },
      cwd: BENCH_DIR,
    },
  );
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${file} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  const ready = await new Promise<IpcReady>((resolve, reject) => {
    const onExit = () => reject(new Error(`${file} exited before it was ready`));
    proc.once('exit', onExit);
    proc.on('message', (raw) => {
      const msg = raw as IpcResponse | IpcReady;
      if ('ready' in msg) {
        proc.off('exit', onExit);
        resolve(msg);
        return;
      }
      const waiter = pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new Error(`${file} ${msg.error}`));
    });
  });
  return {
    pid: proc.pid as number,
    info: ready.info,
    call<T>(cmd: string, args: unknown = {}, timeoutMs = 300_000) {
      if (exited) return Promise.reject(new Error(`${file} has exited`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${file}: ${cmd} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, {
          resolve: (v) => {
            clearTimeout(timer);
            resolve(v as T);
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
        proc.send({ id, cmd, args });
      });
    },
    async stop() {
      if (exited) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}
