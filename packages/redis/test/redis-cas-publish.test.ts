/**
 * The atomic compare-and-set + PUBLISH fast path: one script writes the session and announces it
 * to the bus's subscribers, only when it wins, and only for a bus on the same Redis.
 */
import { randomBytes } from 'node:crypto';
import type { StatusSnapshot } from '@qrlogin/protocol';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { memoryBus } from '../../server/src/index.js';
import { scannedRecord, sessionRecord } from '../../server/test/conformance/fixtures.js';
import { redisBus } from '../src/redis-bus.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

describe.skipIf(skipWithoutRedis)('redisStore.compareAndSetAndPublish', () => {
  let redis: RedisServer;
  let clients: Redis[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    clients = await Promise.all([connectClient(redis.port), connectClient(redis.port), connectClient(redis.port)]);
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.stop();
  });

  function setup() {
    const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
    const [client, publisher, subscriber] = clients as [Redis, Redis, Redis];
    const store = redisStore({ client, keyPrefix });
    // A different client object on the same server: still one Redis, so the fast path applies.
    const bus = redisBus({ publisher, subscriber, keyPrefix, onError: () => {} });
    return { store, bus };
  }

  const snapshotOf = (id: string, version: number): StatusSnapshot => ({
    sessionId: id,
    state: 'scanned',
    version,
    expiresAt: Date.now() + 60_000,
    serverTime: Date.now(),
  });

  it('writes and publishes when the version matches, and neither when it does not', async () => {
    const { store, bus } = setup();
    const record = sessionRecord({ now: Date.now() });
    await store.create(record, Date.now() + 60_000);
    const seen: StatusSnapshot[] = [];
    const off = await bus.subscribe(record.id, (s) => seen.push(s));
    const next = scannedRecord(record, Date.now());
    const stale = await store.compareAndSetAndPublish?.(next, 7, Date.now() + 60_000, snapshotOf(record.id, 2), bus);
    expect(stale).toBe(false);
    const won = await store.compareAndSetAndPublish?.(next, 1, Date.now() + 60_000, snapshotOf(record.id, 2), bus);
    expect(won).toBe(true);
    expect(await store.get(record.id)).toEqual(next);
    await vi.waitFor(() => expect(seen.map((s) => s.version)).toEqual([2]), { timeout: 5_000 });
    await off();
  });

  it('declines (null) for a bus it cannot publish for, writing nothing', async () => {
    const { store } = setup();
    const record = sessionRecord({ now: Date.now() });
    await store.create(record, Date.now() + 60_000);
    const next = scannedRecord(record, Date.now());
    const result = await store.compareAndSetAndPublish?.(
      next,
      1,
      Date.now() + 60_000,
      snapshotOf(record.id, 2),
      memoryBus(),
    );
    expect(result).toBeNull();
    expect(await store.get(record.id)).toEqual(record);
  });
});
