/**
 * Starts this example, already built (`next build --webpack`), in one of its two modes as a child
 * process: for the examples test and the detection-latency script.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** `custom-server`: server.ts, WebSocket push. `next-start`: route handlers only, long-poll. */
export type NextMode = 'custom-server' | 'next-start';

const DIR = fileURLToPath(new URL('..', import.meta.url));
const COMMANDS: Record<NextMode, { command: string; args: (port: number) => string[]; ready: RegExp }> = {
  'custom-server': {
    command: fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url)),
    args: () => ['--conditions=@qrlogin/source', 'server.ts'],
    ready: /custom server/,
  },
  'next-start': {
    command: `${DIR}/node_modules/.bin/next`,
    args: (port) => ['start', '-p', String(port)],
    ready: /Ready in/,
  },
};

/**
 * Starts the example on `port` and resolves once it is ready; `close()` stops it with SIGTERM.
 * Rejects with the process output if it exits first (with `code: 'EADDRINUSE'` when the port was taken).
 *
 * @example
 * const { url, close } = await startNext('custom-server', 3000);
 */
export async function startNext(mode: NextMode, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const { command, args, ready } = COMMANDS[mode];
  const child = spawn(command, args(port), {
    cwd: DIR,
    env: { ...process.env, PORT: String(port), NEXT_TELEMETRY_DISABLED: '1' },
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      const reason = output.includes('EADDRINUSE') ? 'EADDRINUSE' : undefined;
      reject(Object.assign(new Error(`${mode} exited ${code} before it was ready:\n${output}`), { code: reason }));
    });
  });
  return {
    url: `http://localhost:${port}`,
    async close() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
