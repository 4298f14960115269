import { spawnChild } from './lib/spawn-child.js';
import { measureLatencyPair } from './scenarios/latency-pair.js';

const hb = process.argv[2] ?? '';
const { summaries } = await measureLatencyPair(
  [
    { label: 'bare', kind: 'bare', start: async () => [await spawnChild('servers/bare-server.ts')] },
    {
      label: 'qrlogin',
      kind: 'qrlogin',
      start: async () => [await spawnChild('servers/qrlogin-server.ts', hb ? { BENCH_HEARTBEAT_SECONDS: hb } : {})],
    },
  ],
  { browsers: 10000, rate: 1000, burst: 1000, warmup: 500 },
);
for (const [k, v] of Object.entries(summaries))
  console.log(
    hb || 'default',
    k,
    'p50',
    v.p50.toFixed(3),
    'p99',
    v.p99.toFixed(3),
    'max',
    v.max.toFixed(1),
    'cpu',
    v.cpuPerLogin.toFixed(0),
  );
