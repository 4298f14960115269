/**
 * The `ioredis` peer range admits every ioredis major the conformance suites run against, so
 * `npm install @qrlogin/redis ioredis` (which picks the newest ioredis) gives a valid tree
 * (`npm ls` exits 0) with a client the backends are tested on.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import manifest from '../package.json' with { type: 'json' };

const require = createRequire(import.meta.url);

/** The versions of the caret alternatives in a range like `^5.0.0 || ^6.0.0`. */
function caretFloors(range: string): number[][] {
  return range.split('||').map((part) => {
    const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(part.trim());
    if (!match) throw new Error(`unexpected peer range part "${part.trim()}" in "${range}"`);
    return match.slice(1).map(Number);
  });
}

function satisfies(version: string, range: string): boolean {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return caretFloors(range).some(
    ([M, m, p]) => major === M && (minor > (m as number) || (minor === m && patch >= (p as number))),
  );
}

describe('the ioredis peer range', () => {
  const range = manifest.peerDependencies.ioredis;
  it.each(['ioredis', 'ioredis6'])('admits the tested client %s', (name) => {
    const { version } = require(`${name}/package.json`) as { version: string };
    expect(satisfies(version, range), `${name}@${version} against "${range}"`).toBe(true);
  });
});
