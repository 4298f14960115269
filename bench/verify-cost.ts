/**
 * What one Ed25519 verification costs this machine, synchronous against `crypto.verify`'s callback
 * form (the libuv thread pool) at several concurrencies. Not a scenario: a fact the bench's CPU
 * figures rest on. Run: `npx tsx bench/verify-cost.ts`.
 */
import { generateKeyPairSync, sign, verify } from 'node:crypto';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const message = Buffer.from('x'.repeat(200));
const signature = sign(null, message, privateKey);
const N = 4000;

async function measure(label: string, run: () => Promise<void> | void): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run();
  const cpu = process.cpuUsage(cpu0);
  const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
  console.log(
    `${label.padEnd(16)} wall ${(wallUs / N).toFixed(1)} µs/verify, CPU (all threads) ${((cpu.user + cpu.system) / N).toFixed(1)} µs/verify`,
  );
}

const once = () =>
  new Promise<boolean>((resolve) => verify(null, message, publicKey, signature, (err, ok) => resolve(!err && ok)));

async function inFlight(k: number): Promise<void> {
  let started = 0;
  await Promise.all(
    Array.from({ length: k }, async () => {
      while (started++ < N) await once();
    }),
  );
}

for (let round = 0; round < 2; round++) {
  await measure('sync', () => {
    for (let i = 0; i < N; i++) verify(null, message, publicKey, signature);
  });
  for (const k of [1, 2, 8, 64]) await measure(`thread pool, ${k}`, () => inFlight(k));
}
