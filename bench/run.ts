/**
 * `pnpm bench [--quick] [--only=1,3]`: runs the scenarios of issue 8 on loopback, each with
 * bounded loops and its baseline in the same run, prints a table and writes
 * `bench/results/<date>.json`. Servers and load generators each run in their own process.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { type BenchConfig, FULL, QUICK } from './lib/config.js';
import { machineInfo } from './lib/machine.js';
import { type BenchRedis, haveRedis, startRedis } from './lib/redis-server.js';
import type { Row, ScenarioResult } from './lib/result.js';
import { childFileLimit } from './lib/spawn-child.js';
import { renderTable } from './lib/table.js';
import { writeDocs } from './lib/write-docs.js';
import { appSigning } from './scenarios/app-signing.js';
import { bundleSizes } from './scenarios/bundle-sizes.js';
import { capacity } from './scenarios/capacity.js';
import { polling } from './scenarios/polling.js';
import { pushLatency } from './scenarios/push-latency.js';
import { redisLatency } from './scenarios/redis-latency.js';
import { soak } from './scenarios/soak.js';
import { throughput } from './scenarios/throughput.js';

const args = process.argv.slice(2);
const cfg: BenchConfig = args.includes('--quick') ? QUICK : FULL;
// `pnpm bench hermes` is the phone's part alone (scenario 8), which needs no server or Redis.
const only = args.includes('hermes')
  ? [8]
  : args
      .find((a) => a.startsWith('--only='))
      ?.slice(7)
      .split(',')
      .map(Number);
const wanted = (n: number) => !only || only.includes(n);

const fileLimit = await childFileLimit();
const machine = machineInfo(fileLimit);
const started = new Date();
const loadStart = os.loadavg();
console.log(
  `qrlogin bench (${cfg.quick ? 'quick' : 'full'}) — ${machine.nproc} cores, node ${machine.node}, open-file limit ${fileLimit}, load average ${loadStart.map((l) => l.toFixed(1)).join(' ')}`,
);
if ((loadStart[0] ?? 0) > machine.nproc) {
  console.warn('warning: the machine is already busy (load average above the core count); latencies will be noisy');
}

let redis: BenchRedis | undefined;
const needsRedis = wanted(2);
if (needsRedis) {
  if (await haveRedis()) redis = await startRedis();
  else console.warn('redis-server not found: scenario 2 is skipped (apt-get install redis-server)');
}

const scenarios: [number, string, () => Promise<ScenarioResult>][] = [
  [1, 'push latency, one instance', () => pushLatency(cfg)],
  [
    2,
    'push latency, two instances on Redis',
    () => (redis ? redisLatency(cfg, redis) : Promise.reject(new Error('no redis-server'))),
  ],
  [3, 'capacity', () => capacity(cfg, fileLimit)],
  [4, 'throughput', () => throughput(cfg)],
  [5, 'against polling', () => polling(cfg)],
  [6, 'soak', () => soak(cfg)],
  [7, 'bundle sizes', () => bundleSizes()],
  [8, 'app signing on Hermes and V8', () => appSigning(cfg.quick ? 10 : 30)],
];

const results: ScenarioResult[] = [];
const failures: { scenario: number; error: string }[] = [];
try {
  for (const [n, title, run] of scenarios) {
    if (!wanted(n)) continue;
    const t0 = Date.now();
    process.stdout.write(`\n▶ ${n} ${title} … `);
    try {
      const result = await run();
      results.push(result);
      console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s`);
      console.log(renderTable(result.rows));
    } catch (err) {
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      failures.push({ scenario: n, error });
      console.log(`FAILED\n${error}`);
    }
  }
} finally {
  await redis?.stop();
}

const loadEnd = os.loadavg();
const rows: Row[] = results.flatMap((r) => r.rows);
console.log(`\n## Results (${cfg.quick ? '--quick' : 'full'}, ${started.toISOString()})\n`);
console.log(renderTable(rows));
const barred = rows.filter((r) => r.pass !== undefined);
console.log(
  `\n${barred.filter((r) => r.pass).length} of ${barred.length} bars met${failures.length ? `, ${failures.length} scenario(s) failed to run` : ''}.`,
);

const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
const stamp = started.toISOString().replace(/[:]/g, '-').replace(/\..+$/, '');
const file = `${dir}${stamp}${cfg.quick ? '-quick' : ''}.json`;
writeFileSync(
  file,
  `${JSON.stringify(
    {
      startedAt: started.toISOString(),
      mode: cfg.quick ? 'quick' : 'full',
      config: cfg,
      machine,
      loadAverage: { start: loadStart, end: loadEnd },
      rows,
      results,
      failures,
    },
    null,
    2,
  )}\n`,
);
console.log(`Wrote ${file}`);

if (args.includes('--docs')) {
  const docs = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
  const command = `pnpm bench${cfg.quick ? ' --quick' : ''}`;
  writeDocs(
    docs,
    [
      `Run \`${command}\` on ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, commit \`${machine.commit}\`; raw data in \`bench/results/${file.split('/').pop()}\`.`,
      '',
      `Machine: \`nproc\` = ${machine.nproc} (${machine.cpu}), ${machine.memoryGiB} GiB RAM, node ${machine.node}, ${machine.redis.split(' ').slice(0, 3).join(' ')}, open-file limit ${fileLimit} per process, load average ${loadStart.map((l) => l.toFixed(1)).join(' / ')} at the start and ${loadEnd.map((l) => l.toFixed(1)).join(' / ')} at the end (the machine is shared).`,
      '',
      '```text',
      '$ free -g',
      machine.freeG,
      '```',
      '',
      renderTable(rows),
      '',
      `${barred.filter((r) => r.pass).length} of ${barred.length} bars met.`,
    ].join('\n'),
  );
  console.log(`Updated ${docs}`);
}
process.exitCode = failures.length ? 1 : 0;
