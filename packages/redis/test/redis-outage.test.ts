/**
 * Redis going away: every operation fails at once with `STORE_UNAVAILABLE` (whether the process is
 * gone or frozen), nothing is half-written, and everything works again when Redis is back, the bus
 * included (it re-subscribes and fires `onResync`).
 */
import type { StatusSnapshot } from '@qrlogin/protocol';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deviceRecord, randomId, sessionRecord } from '../../server/test/conformance/fixtures.js';
import { redisBus, sessionChannel } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient, ready } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

const unavailable = { name: 'QrLoginError', code: 'STORE_UNAVAILABLE', status: 503 };

describe.skipIf(skipWithoutRedis)('Redis outage', () => {
  let redis: RedisServer;
  let client: Redis;
  let subscriber: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await connectClient(redis.port);
    subscriber = await connectClient(redis.port);
  });
  afterAll(async () => {
    client?.disconnect();
    subscriber?.disconnect();
    await redis?.stop();
  });

  it('fails every operation with STORE_UNAVAILABLE while Redis is stopped, and recovers by itself', async () => {
    const store = redisStore({ client });
    const devices = redisDeviceStore({ client });
    const errors: unknown[] = [];
    const bus = redisBus({ publisher: client, subscriber, onError: (e) => errors.push(e) });
    const resyncs = vi.fn();
    bus.onResync?.(resyncs);
    const watched = randomId();
    const seen: StatusSnapshot[] = [];
    await bus.subscribe(watched, (s) => seen.push(s));
    const leaving = randomId();
    const leave = await bus.subscribe(leaving, () => {});

    const record = sessionRecord({ now: Date.now() });
    await store.create(record, Date.now() + 60_000);

    await redis.stop();
    await vi.waitFor(() => expect(client.status).not.toBe('ready'), { timeout: 5_000 });
    const fresh = sessionRecord({ now: Date.now() });
    await expect(store.create(fresh, Date.now() + 60_000)).rejects.toMatchObject(unavailable);
    await expect(store.get(record.id)).rejects.toMatchObject(unavailable);
    await expect(store.compareAndSet({ ...record, version: 2 }, 1, Date.now() + 60_000)).rejects.toMatchObject(
      unavailable,
    );
    await expect(store.hit('ip:1', 1_000)).rejects.toMatchObject(unavailable);
    await expect(devices.add(deviceRecord({ userId: 'u', now: 1 }))).rejects.toMatchObject(unavailable);
    await expect(devices.get(randomId())).rejects.toMatchObject(unavailable);
    await expect(devices.listByUser('u')).rejects.toMatchObject(unavailable);
    await expect(
      bus.publish({ sessionId: watched, state: 'pending', version: 2, expiresAt: 1, serverTime: 1 }),
    ).rejects.toMatchObject(unavailable);
    await expect(bus.subscribe(randomId(), () => {})).rejects.toMatchObject(unavailable);
    // A browser that leaves during the outage: its channel must not stay subscribed afterwards.
    await leave();

    // Persistence is off in this test server, so Redis comes back empty, as after losing a
    // non-persistent primary: what matters is that the same clients work again untouched.
    await redis.start();
    await ready(client);
    await vi.waitFor(() => expect(resyncs).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    expect(await store.create(fresh, Date.now() + 60_000)).toBe(true);
    expect(await store.get(fresh.id)).toEqual(fresh);
    await bus.publish({ sessionId: watched, state: 'scanned', version: 2, expiresAt: 1, serverTime: 1 });
    await vi.waitFor(() => expect(seen.map((s) => s.version)).toEqual([2]), { timeout: 5_000 });
    const numsub = async (id: string) =>
      ((await client.pubsub('NUMSUB', sessionChannel('qrlogin:', id))) as unknown[])[1];
    expect(await numsub(watched)).toBe(1);
    expect(await numsub(leaving)).toBe(0);
    await bus.close?.();
  });

  it('fails with STORE_UNAVAILABLE when Redis stops answering without closing connections', async () => {
    // A frozen process looks like a network partition: the socket stays open, nothing answers.
    // 1.5 s: the create before the freeze must not time out on a slow machine.
    const frozenClient = await connectClient(redis.port, { commandTimeout: 1_500 });
    const store = redisStore({ client: frozenClient });
    const record = sessionRecord({ now: Date.now() });
    expect(await store.create(record, Date.now() + 60_000)).toBe(true);
    redis.freeze();
    try {
      await expect(store.get(record.id)).rejects.toMatchObject(unavailable);
      await expect(
        store.compareAndSet({ ...record, state: 'cancelled', version: 2 }, 1, Date.now() + 60_000),
      ).rejects.toMatchObject(unavailable);
    } finally {
      redis.thaw();
    }
    // The timed-out write may still have run once Redis thawed: whole, never half.
    const after = await store.get(record.id);
    expect([1, 2]).toContain(after?.version);
    expect(after?.state).toBe(after?.version === 1 ? 'pending' : 'cancelled');
    frozenClient.disconnect();
  });
});
