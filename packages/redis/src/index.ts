/**
 * @module @qrlogin/redis
 *
 * Redis backends for `@qrlogin/server`: run any number of server instances behind any load
 * balancer, without sticky sessions. Sessions and rate-limit counters are TTL keys changed only by
 * atomic Lua compare-and-set scripts; snapshots travel between instances over pub/sub, one channel
 * per session; keys of one session share a hash tag, so Redis Cluster works. Built on `ioredis` 5 or 6.
 *
 * @example
 * import { once } from 'node:events';
 * import { Redis } from 'ioredis';
 * import { createQrLogin } from '@qrlogin/server';
 * import { failFastRedisOptions, redisBus, redisDeviceStore, redisStore } from '@qrlogin/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, failFastRedisOptions);
 * const subscriber = client.duplicate();
 * await Promise.all([once(client, 'ready'), once(subscriber, 'ready')]);
 * const qr = createQrLogin({
 *   origin: 'https://example.com',
 *   store: redisStore({ client }),
 *   devices: redisDeviceStore({ client }),
 *   bus: redisBus({ publisher: client, subscriber }),
 * });
 */
export { callRedis, type RedisClient } from './client.js';
export { failFastRedisOptions } from './fail-fast-redis-options.js';
export { DEFAULT_KEY_PREFIX } from './key-prefix.js';
export { type RedisBusOptions, redisBus, sessionChannel } from './redis-bus.js';
export { type RedisDeviceStoreOptions, redisDeviceStore } from './redis-device-store.js';
export { loginKey, type RedisLoginLedgerOptions, redisLoginLedger, userLoginsKey } from './redis-login-ledger.js';
export { counterKey, type RedisStoreOptions, redisStore, sessionKey } from './redis-store.js';
