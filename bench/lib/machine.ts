import { execSync } from 'node:child_process';
import os from 'node:os';

/** The machine a run happened on, for the results file and docs/benchmarks.md. */
export function machineInfo(fileLimit: number) {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).trimEnd();
    } catch {
      return '';
    }
  };
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? '',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    freeG: sh('free -g'),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    uvThreadpoolSize: Number(process.env.UV_THREADPOOL_SIZE ?? 4),
    openFileLimit: fileLimit,
    redis: sh('redis-server --version'),
    commit: sh('git rev-parse --short HEAD'),
  };
}
