/**
 * Linked-browser prompts across two server instances sharing one Redis: a token minted by a redeem
 * on one instance is honoured by the other, the per-user push-fatigue limit is one budget for both,
 * and forgetting the user's browsers on one ends prompts on the other.
 */
import { randomBytes } from 'node:crypto';
import type { LoginRequest } from '@qrlogin/protocol';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, newDevice, post, startServer, type TestServer } from '../../server/test/helpers.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisLinkedBrowserStore } from '../src/redis-linked-browser-store.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

describe.skipIf(skipWithoutRedis)('prompts across instances on Redis', () => {
  let redis: RedisServer;
  let client: Redis;
  const servers: TestServer[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
    client = await connectClient(redis.port);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    client?.disconnect();
    await redis?.stop();
  });

  it('a token from A works on B; the per-user limit is shared; forgetting on A ends it on B', async () => {
    const keyPrefix = `t${randomBytes(4).toString('hex')}:`;
    const shared = {
      store: redisStore({ client, keyPrefix }),
      devices: redisDeviceStore({ client, keyPrefix }),
      linkedBrowsers: redisLinkedBrowserStore({ client, keyPrefix }),
      promptDevices: () => {},
      rateLimits: { promptPerUser: { limit: 2, windowSeconds: 600 } },
    };
    const a = await startServer(shared);
    const b = await startServer(shared);
    servers.push(a, b);

    const phone = await newDevice(a);
    const session = await createSession(a);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect((await phone.confirm(request)).status).toBe(200);
    const { promptToken } = await a.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });

    const onB = await post(`${b.base}/sessions`, { prompt: promptToken });
    expect(onB.status).toBe(201);
    expect((await b.qr.inspect(onB.body.sessionId))?.state).toBe('pending');
    expect((await post(`${a.base}/sessions`, { prompt: promptToken })).status).toBe(201);
    const third = await post(`${b.base}/sessions`, { prompt: promptToken });
    expect([third.status, third.body.error.code]).toEqual([429, 'PROMPT_LIMITED']);

    expect(await a.qr.forgetBrowser({ userId: phone.userId })).toBe(1);
    expect((await post(`${b.base}/sessions`, { prompt: promptToken })).body.error.code).toBe('PROMPT_INVALID');
  });
});
