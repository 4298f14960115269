/**
 * Redis losing its data under waiting browsers (a restart without persistence, a FLUSHALL): every
 * socket and held long-poll of a session that no longer exists is told `SESSION_NOT_FOUND` (close
 * 4404, HTTP 404) at once, so the page starts a fresh login instead of showing a dead QR code
 * until the session's expiry. Real Redis, a real qrlogin server, real `ws` sockets and long-polls.
 */
import type { CreateSessionResponse } from '@qrlogin/protocol';
import type { EventBus } from '@qrlogin/server';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession, startServer, subscribe, type TestServer } from '../../server/test/helpers.js';
import { redisBus } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient, ready } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

async function sessionReads(client: Redis): Promise<number> {
  const stats = (await client.info('commandstats')) as string;
  return Number(/cmdstat_hget:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

/**
 * A `GET /sessions/:id?after=1` (the session is at version 1, so it waits for a change), resolved
 * once the server holds it: it read the session twice, before and after watching it.
 */
async function heldPoll(t: TestServer, client: Redis, session: CreateSessionResponse) {
  const before = await sessionReads(client);
  const answer = fetch(`${t.base}/sessions/${session.sessionId}?after=1`, {
    headers: { authorization: `Bearer ${session.browserSecret}` },
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as { error?: { code: string } } }));
  await expect.poll(() => sessionReads(client)).toBeGreaterThanOrEqual(before + 2);
  return { answer };
}

describe.skipIf(skipWithoutRedis)('Redis losing its data under waiting browsers', () => {
  let redis: RedisServer;
  let client: Redis;
  let subscriber: Redis;
  let t: TestServer;
  let bus: EventBus;
  let clock = 0;
  beforeAll(async () => {
    // Persistence off, as in the issue: a restart comes back empty.
    redis = await startRedisServer();
    client = await connectClient(redis.port);
    subscriber = await connectClient(redis.port);
  });
  afterEach(async () => {
    await t?.close();
    // The host's bus is the host's to close; closing it also deletes its canary key.
    await bus?.close?.();
  });
  afterAll(async () => {
    client?.disconnect();
    subscriber?.disconnect();
    await redis?.stop();
  });

  async function server(): Promise<TestServer> {
    clock = 0;
    bus = redisBus({ publisher: client, subscriber });
    t = await startServer({
      store: redisStore({ client }),
      devices: redisDeviceStore({ client }),
      bus,
      // Long enough that nothing here is answered by the hold time or the expiry by accident.
      longPollSeconds: 60,
      sessionTtlSeconds: 120,
      now: () => Date.now() + clock,
    });
    return t;
  }

  it('a restart without persistence: sockets close 4404 and held polls answer 404 once the bus is back', async () => {
    const t = await server();
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    const poll = await heldPoll(t, client, session);

    await redis.stop();
    await redis.start();
    await ready(client);

    expect(await socket.closed).toEqual({ code: 4404, reason: 'SESSION_NOT_FOUND' });
    expect(socket.frames.at(-1)).toMatchObject({ type: 'error', error: { code: 'SESSION_NOT_FOUND' } });
    expect(await poll.answer).toMatchObject({ status: 404, body: { error: { code: 'SESSION_NOT_FOUND' } } });
  });

  it('a FLUSHALL: sockets close 4404 and held polls answer 404 at once (the bus notices its canary is gone)', async () => {
    const t = await server();
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    const poll = await heldPoll(t, client, session);
    // This bus (the only one) has written its canary, so its absence will mean a loss.
    await expect.poll(async () => (await client.keys('qrlogin:bus:alive:*')).length).toBe(1);

    await client.flushall();

    expect(await socket.closed).toEqual({ code: 4404, reason: 'SESSION_NOT_FOUND' });
    expect(await poll.answer).toMatchObject({ status: 404, body: { error: { code: 'SESSION_NOT_FOUND' } } });
  });

  it('a session flushed away is reported by the sweep when its time runs out, not left silent', async () => {
    const t = await server();
    const session = await createSession(t);
    const socket = await subscribe(t, session);
    await client.flushall();
    // Past the session's expiry: the sweep re-reads it and finds nothing.
    clock = 121_000;
    expect(await socket.closed).toEqual({ code: 4404, reason: 'SESSION_NOT_FOUND' });
    expect(socket.frames.map((f) => f.type)).toEqual(['state', 'error']);
  });
});
