/**
 * Measures what qrlogin costs in Redis, for docs/scaling.md: `MEMORY USAGE` of each kind of key,
 * `used_memory` per waiting session and per bus subscription at 10 000 of each, and how long a
 * snapshot takes from `publish` on one connection to the listener on another, and how many
 * compare-and-sets one connection gets through.
 *
 * Run: `pnpm --filter @qrlogin/redis measure` (starts its own redis-server on a free port).
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { SessionRecord } from '@qrlogin/server';
import { Redis } from 'ioredis';
import { failFastRedisOptions } from '../src/fail-fast-redis-options.js';
import { redisBus, sessionChannel } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { counterKey, redisStore, sessionKey } from '../src/redis-store.js';
import { startRedisServer } from '../test/helpers/redis-server.js';

const N = 10_000;
const id = () => randomBytes(16).toString('base64url');

function pending(now: number): SessionRecord {
  return {
    id: id(),
    secretHash: randomBytes(32).toString('hex'),
    state: 'pending',
    version: 1,
    createdAt: now,
    expiresAt: now + 120_000,
    updatedAt: now,
    requester: {
      ip: '203.0.113.7',
      // A typical desktop Chrome UA (the server truncates longer ones).
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      browser: 'Chrome 131',
      os: 'Windows 10',
      origin: 'https://example.com',
      place: 'Berlin, DE',
      createdAt: now,
    },
  };
}

async function usedMemory(client: Redis): Promise<number> {
  const info = await client.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

const redis = await startRedisServer();
const connect = async () => {
  const c = new Redis({ host: '127.0.0.1', port: redis.port, ...failFastRedisOptions, commandTimeout: 30_000 });
  await once(c, 'ready');
  return c;
};
const client = await connect();
const subscriber = await connect();
const store = redisStore({ client });
const devices = redisDeviceStore({ client });
const now = Date.now();
const rows: [string, string][] = [];

// One key of each kind.
const one = pending(now);
await store.create(one, now + 180_000);
rows.push(['pending session key (MEMORY USAGE)', `${await client.memory('USAGE', sessionKey('qrlogin:', one.id))} B`]);
const scanned: SessionRecord = {
  ...one,
  state: 'scanned',
  version: 2,
  deviceId: id(),
  userId: 'user-1234567890',
  challenge: randomBytes(32).toString('base64url'),
  code: '42',
  scanIp: '198.51.100.23',
};
await store.compareAndSet(scanned, 1, now + 180_000);
rows.push(['scanned session key (MEMORY USAGE)', `${await client.memory('USAGE', sessionKey('qrlogin:', one.id))} B`]);
await store.hit('create:203.0.113.7', 60_000);
rows.push([
  'rate-limit counter key (MEMORY USAGE)',
  `${await client.memory('USAGE', counterKey('qrlogin:', 'create:203.0.113.7'))} B`,
]);
const device = {
  id: id(),
  userId: 'user-1234567890',
  publicKey: randomBytes(32).toString('base64url'),
  label: "Ana's iPhone",
  createdAt: now,
};
await devices.add(device);
const deviceBytes = await Promise.all(
  [
    `qrlogin:{devices}:d:${device.id}`,
    `qrlogin:{devices}:k:${device.publicKey}`,
    `qrlogin:{devices}:u:${device.userId}`,
  ].map((k) => client.memory('USAGE', k)),
);
rows.push(['device (3 keys, MEMORY USAGE)', `${deviceBytes.reduce((a, b) => (a ?? 0) + (b ?? 0), 0)} B`]);

// N waiting sessions.
const before = await usedMemory(client);
for (let i = 0; i < N; i += 500) {
  await Promise.all(Array.from({ length: 500 }, () => store.create(pending(now), now + 180_000)));
}
const afterSessions = await usedMemory(client);
rows.push([`used_memory per pending session (${N})`, `${Math.round((afterSessions - before) / N)} B`]);

// Transition throughput from one client connection: 20 000 compare-and-sets, 200 in flight.
const casTargets = Array.from({ length: 200 }, () => pending(now));
await Promise.all(casTargets.map((r) => store.create(r, now + 180_000)));
const t0 = performance.now();
for (let round = 0; round < 100; round++) {
  await Promise.all(
    casTargets.map((r) =>
      store.compareAndSet({ ...r, version: round + 2, updatedAt: now + round }, round + 1, now + 180_000),
    ),
  );
}
const casPerSecond = Math.round(20_000 / ((performance.now() - t0) / 1000));
rows.push(['compare-and-set throughput, one connection, 200 in flight', `${casPerSecond} /s`]);

// N bus subscriptions on one instance's subscriber connection.
const bus = redisBus({ publisher: client, subscriber });
const ids = Array.from({ length: N }, id);
const beforeSubs = await usedMemory(client);
const unsubscribes = [];
for (let i = 0; i < N; i += 500) {
  unsubscribes.push(...(await Promise.all(ids.slice(i, i + 500).map((s) => bus.subscribe(s, () => {})))));
}
const afterSubs = await usedMemory(client);
rows.push([
  `used_memory per bus subscription (${N} on one connection)`,
  `${Math.round((afterSubs - beforeSubs) / N)} B`,
]);
const [, subs] = (await client.pubsub('NUMSUB', sessionChannel('qrlogin:', ids[0] as string))) as [string, number];
rows.push(['subscribers of one session channel', String(subs)]);

// Publish → deliver latency across two connections (same machine), 2 000 snapshots one at a time.
const target = ids[0] as string;
let resolveNext: (() => void) | undefined;
await bus.subscribe(target, () => resolveNext?.());
const latencies: number[] = [];
for (let v = 0; v < 2_000; v++) {
  const delivered = new Promise<void>((resolve) => {
    resolveNext = resolve;
  });
  const t0 = performance.now();
  await bus.publish({ sessionId: target, state: 'scanned', version: v + 2, expiresAt: now, serverTime: now });
  await delivered;
  latencies.push(performance.now() - t0);
}
latencies.sort((a, b) => a - b);
const pct = (p: number) => (latencies[Math.floor((latencies.length - 1) * p)] as number).toFixed(3);
rows.push(['publish → listener latency p50 / p99', `${pct(0.5)} ms / ${pct(0.99)} ms`]);

for (const unsubscribe of unsubscribes) await unsubscribe();
await bus.close?.();
client.disconnect();
subscriber.disconnect();
await redis.stop();

const version = (await import('node:child_process')).execFileSync('redis-server', ['--version']).toString().trim();
console.log(`${version}\nNode ${process.version}\n`);
console.log('| measure | value |\n| --- | --- |');
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
