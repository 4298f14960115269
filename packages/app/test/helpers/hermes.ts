/**
 * Runs a script in the real Hermes engine: the `hermes` binary that the `hermes-engine-cli` npm
 * package ships for Linux x64 (Hermes 0.12, the engine of React Native 0.69/0.70).
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERMES_BIN = fileURLToPath(
  new URL('../../node_modules/hermes-engine-cli/linux64-bin/hermes', import.meta.url),
);

/** Why Hermes cannot run here, or `null` when it can. */
export function hermesUnavailableReason(): string | null {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `hermes-engine-cli ships a linux-x64 binary; this is ${process.platform}-${process.arch}`;
  }
  try {
    accessSync(HERMES_BIN, constants.X_OK);
    return null;
  } catch {
    return `no executable Hermes at ${HERMES_BIN} (pnpm install, and allow the file mode)`;
  }
}

/**
 * Executes `code` in Hermes and returns what it printed. Rejects when Hermes exits non-zero
 * (a syntax error, an uncaught exception), with its stderr in the message.
 *
 * @example
 * const { stdout } = await runInHermes('print(1 + 1)');
 */
export async function runInHermes(code: string): Promise<{ stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'qrlogin-hermes-'));
  const file = join(dir, 'bundle.js');
  writeFileSync(file, code);
  try {
    return await new Promise((resolve, reject) => {
      execFile(HERMES_BIN, [file], { maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`hermes failed (${error.message}):\n${stderr.slice(-4000)}`));
        else resolve({ stdout, stderr });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
