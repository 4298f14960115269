/**
 * What the Redis backends leave in Redis: every key under the prefix, hash tags where Cluster needs
 * them, a TTL on everything that should be forgotten, no `KEYS`, and scripts that survive a
 * `SCRIPT FLUSH` (a restarted or failed-over Redis).
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceRecord, sessionRecord } from '../../server/test/conformance/fixtures.js';
import { redisBus, sessionChannel } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { counterKey, redisStore, sessionKey } from '../src/redis-store.js';
import { connectClient, scanKeys } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

/** The Cluster hash tag of a key: what Redis hashes to pick its slot. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

describe.skipIf(skipWithoutRedis)('Redis keys', () => {
  let redis: RedisServer;
  let client: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await connectClient(redis.port);
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  it('writes every key under keyPrefix, with TTLs on sessions and counters and none on devices', async () => {
    const keyPrefix = `app${randomBytes(3).toString('hex')}:qr:`;
    const store = redisStore({ client, keyPrefix });
    const devices = redisDeviceStore({ client, keyPrefix });
    const now = Date.now();
    const record = sessionRecord({ now });
    await store.create(record, now + 180_000);
    await store.hit('create:203.0.113.7', 60_000);
    const device = deviceRecord({ userId: 'alice', now });
    await devices.add(device);

    const keys = await scanKeys(client, '');
    const mine = keys.filter((k) => k.startsWith(keyPrefix));
    expect(mine).toHaveLength(5); // session, counter, device, public-key index, user set
    expect(keys.filter((k) => !k.startsWith('app'))).toEqual([]);

    const session = sessionKey(keyPrefix, record.id);
    expect(hashTag(session)).toBe(record.id);
    expect(hashTag(sessionChannel(keyPrefix, record.id))).toBe(record.id);
    const sessionTtl = await client.pttl(session);
    expect(sessionTtl).toBeGreaterThan(170_000);
    expect(sessionTtl).toBeLessThanOrEqual(180_000);
    const counterTtl = await client.pttl(counterKey(keyPrefix, 'create:203.0.113.7'));
    expect(counterTtl).toBeGreaterThan(0);
    expect(counterTtl).toBeLessThanOrEqual(60_000);

    const deviceKeys = mine.filter((k) => k !== session && !k.includes(':rl:'));
    expect(deviceKeys).toHaveLength(3);
    for (const key of deviceKeys) {
      expect(hashTag(key)).toBe('devices');
      expect(await client.pttl(key)).toBe(-1);
    }
  });

  it('keeps two prefixes on one Redis apart, stores and buses alike', async () => {
    const a = redisStore({ client, keyPrefix: 'a:' });
    const b = redisStore({ client, keyPrefix: 'b:' });
    const record = sessionRecord({ now: Date.now() });
    expect(await a.create(record, Date.now() + 60_000)).toBe(true);
    expect(await b.get(record.id)).toBeNull();
    expect(await b.create(record, Date.now() + 60_000)).toBe(true);
    expect((await a.hit('k', 60_000)).count).toBe(1);
    expect((await b.hit('k', 60_000)).count).toBe(1);

    const subscriber = await connectClient(redis.port);
    const busA = redisBus({ publisher: client, subscriber, keyPrefix: 'a:' });
    const busB = redisBus({ publisher: client, subscriber, keyPrefix: 'b:' });
    const seenA: number[] = [];
    const seenB: number[] = [];
    await busA.subscribe(record.id, (s) => seenA.push(s.version));
    await busB.subscribe(record.id, (s) => seenB.push(s.version));
    const snapshot = { sessionId: record.id, state: 'pending' as const, expiresAt: 1, serverTime: 1 };
    await busB.publish({ ...snapshot, version: 7 });
    await busA.publish({ ...snapshot, version: 3 });
    await expect.poll(() => seenA).toEqual([3]);
    expect(seenB).toEqual([7]);
    await busA.close?.();
    await busB.close?.();
    subscriber.disconnect();
  });

  it('never sends KEYS', async () => {
    // Everything the other tests did is in the command statistics of this server.
    const stats = await client.info('commandstats');
    expect(stats).toContain('cmdstat_evalsha');
    expect(stats).not.toMatch(/cmdstat_keys:/);
  });

  it('re-loads its scripts after SCRIPT FLUSH (a restarted or failed-over Redis)', async () => {
    const store = redisStore({ client, keyPrefix: 'flush:' });
    const record = sessionRecord({ now: Date.now() });
    await store.create(record, Date.now() + 60_000);
    await client.script('FLUSH');
    expect(await store.compareAndSet({ ...record, state: 'cancelled', version: 2 }, 1, Date.now() + 60_000)).toBe(true);
    await client.script('FLUSH');
    expect((await store.hit('x', 1_000)).count).toBe(1);
  });

  it('refuses bad options with a TypeError naming the option', () => {
    expect(() => redisStore({ client, keyPrefix: 'a{b}:' })).toThrow(/keyPrefix/);
    expect(() => redisDeviceStore({ client, keyPrefix: 'has space' })).toThrow(/keyPrefix/);
    expect(() => redisStore({ client: {} as Redis })).toThrow(/client/);
    expect(() => redisBus({ publisher: client, subscriber: client })).toThrow(/subscriber/);
    expect(() => redisBus({ publisher: client, subscriber: undefined as unknown as Redis })).toThrow(/subscriber/);
  });
});
