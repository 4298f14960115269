import type { RedisOptions } from 'ioredis';

/**
 * ioredis options that make an unreachable Redis fail a request at once (503
 * `STORE_UNAVAILABLE`) instead of holding it: no offline queue, one attempt per command, a command
 * timeout for a Redis that stopped answering without closing the connection. Reconnection keeps
 * ioredis's default backoff, so service resumes by itself when Redis returns.
 *
 * With the offline queue off, a command sent before the first connection is up fails: wait for the
 * client's `ready` event before serving traffic.
 *
 * @example
 * import { once } from 'node:events';
 * import { Redis } from 'ioredis';
 * import { failFastRedisOptions } from '@qrlogin/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, { ...failFastRedisOptions, keepAlive: 10_000 });
 * await once(client, 'ready');
 */
export const failFastRedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
} as const satisfies RedisOptions;
