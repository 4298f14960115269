/**
 * `tsx bench/profile-top.ts <file.cpuprofile> [n]`: the functions with the most self time and the
 * most total time in a `--cpu-prof` profile (run the bench with `BENCH_CPU_PROF=1` to get them in
 * `bench/results/profiles/`). A text flame graph for a terminal.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
}

const [file, n = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-top.ts <file.cpuprofile> [n]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const total = profile.nodes.reduce((s, node) => s + node.hitCount, 0);
const name = (node: Node) => {
  const url = node.callFrame.url.replace(/^.*\/(node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?|packages\/)/, '');
  return `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
for (const node of profile.nodes) {
  const key = name(node);
  self.set(key, (self.get(key) ?? 0) + node.hitCount);
  // Count each sample once per distinct frame on its stack.
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const k = name(byId.get(id) as Node);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + node.hitCount);
  }
}
const show = (title: string, m: Map<string, number>) => {
  console.log(`\n${title} (of ${total} samples)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n))) {
    console.log(`${((v / total) * 100).toFixed(1).padStart(6)}%  ${k}`);
  }
};
show('self time', self);
show('total time', inclusive);
