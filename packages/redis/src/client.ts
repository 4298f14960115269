/**
 * The Redis client type the backends accept, and the one place that turns a Redis failure into the
 * stable `STORE_UNAVAILABLE` error.
 */
import { QrLoginError } from '@qrlogin/server';
import type { Cluster, Redis } from 'ioredis';

/**
 * An ioredis client: a single node / Sentinel `Redis`, or a `Cluster`. The backends never connect,
 * configure or quit it; the host owns its lifecycle.
 *
 * @example
 * const client: RedisClient = new Cluster([{ host: 'redis-1', port: 6379 }], { redisOptions: failFastRedisOptions });
 */
export type RedisClient = Redis | Cluster;

// Statuses in which a command would only wait in ioredis's offline queue (or be refused anyway):
// answering 503 at once beats holding the HTTP request until the retry budget runs out.
const DOWN = new Set(['connecting', 'connect', 'reconnecting', 'disconnecting', 'close', 'end']);

/**
 * Runs one Redis operation; any failure, including a client that is not connected, becomes
 * `QrLoginError('STORE_UNAVAILABLE')` (HTTP 503) with the original error as `cause`. Every backend
 * operation is a single command or a single script, so a failure never leaves half a write behind.
 *
 * @example
 * const json = await callRedis(client, 'read a session', () => client.hget(key, 'd'));
 */
export async function callRedis<T>(
  client: { readonly status: string },
  action: string,
  run: () => Promise<T>,
): Promise<T> {
  if (DOWN.has(client.status)) {
    throw new QrLoginError(
      'STORE_UNAVAILABLE',
      `Redis is not connected (status "${client.status}"); could not ${action}`,
    );
  }
  try {
    return await run();
  } catch (err) {
    throw new QrLoginError('STORE_UNAVAILABLE', `Redis could not ${action}`, { cause: err });
  }
}
