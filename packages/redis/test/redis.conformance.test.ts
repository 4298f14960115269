/**
 * The Redis backends against the server's store and bus conformance suites, unchanged, on a real
 * `redis-server` of this test file's own, once with ioredis 5 clients and once with ioredis 6 (both
 * in the peer range). Each test gets a fresh key prefix.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { testDeviceStore } from '../../server/test/conformance/device-store.js';
import { testEventBus } from '../../server/test/conformance/event-bus.js';
import { testLoginLedger } from '../../server/test/conformance/login-ledger.js';
import { testSessionStore } from '../../server/test/conformance/session-store.js';
import { redisBus } from '../src/redis-bus.js';
import { redisDeviceStore } from '../src/redis-device-store.js';
import { redisLoginLedger } from '../src/redis-login-ledger.js';
import { redisStore } from '../src/redis-store.js';
import { connectClient, connectIoredis6, killConnection } from './helpers/clients.js';
import { type RedisServer, skipWithoutRedis, startRedisServer } from './helpers/redis-server.js';

/** The three suites against one Redis, each client made by `connect` (ioredis 5 or 6). */
function testRedisBackends(client: string, connect: typeof connectClient): void {
  describe.skipIf(skipWithoutRedis)(`Redis backends on ${client}`, () => {
    let redis: RedisServer;
    let admin: Redis;
    beforeAll(async () => {
      redis = await startRedisServer();
      admin = await connect(redis.port);
    });
    afterAll(async () => {
      admin?.disconnect();
      await redis?.stop();
    });

    const prefix = () => `t${randomBytes(4).toString('hex')}:`;

    testSessionStore('redisStore', async () => {
      const client = await connect(redis.port);
      return { store: redisStore({ client, keyPrefix: prefix() }), cleanup: async () => client.disconnect() };
    });

    testDeviceStore('redisDeviceStore', async () => {
      const client = await connect(redis.port);
      return { devices: redisDeviceStore({ client, keyPrefix: prefix() }), cleanup: async () => client.disconnect() };
    });

    testLoginLedger('redisLoginLedger', async () => {
      const client = await connect(redis.port);
      return { logins: redisLoginLedger({ client, keyPrefix: prefix() }), cleanup: async () => client.disconnect() };
    });

    testEventBus(
      'redisBus',
      async () => {
        const keyPrefix = prefix();
        const name = `sub-${keyPrefix.slice(0, -1)}`;
        const clients = await Promise.all([
          connect(redis.port),
          connect(redis.port, { connectionName: name }),
          connect(redis.port),
          connect(redis.port),
        ]);
        const [publisherA, subscriberA, publisherB, subscriberB] = clients as [Redis, Redis, Redis, Redis];
        const errors: unknown[] = [];
        const onError = (err: unknown) => errors.push(err);
        const bus = redisBus({ publisher: publisherA, subscriber: subscriberA, keyPrefix, onError });
        const peer = redisBus({ publisher: publisherB, subscriber: subscriberB, keyPrefix, onError });
        return {
          bus,
          peer,
          reconnect: async () => {
            const back = once(subscriberA, 'ready');
            if ((await killConnection(admin, name)) !== 1) throw new Error(`no connection named ${name}`);
            await back;
          },
          cleanup: async () => {
            await bus.close?.();
            await peer.close?.();
            for (const c of clients) c.disconnect();
          },
        };
      },
      { reconnect: true },
    );
  });
}

testRedisBackends('ioredis 5', connectClient);
testRedisBackends('ioredis 6', connectIoredis6);
