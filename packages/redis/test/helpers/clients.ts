/**
 * ioredis clients for tests, configured the way the README tells hosts to, and closed for sure.
 */
import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';
import { failFastRedisOptions } from '../../src/fail-fast-redis-options.js';

/**
 * Connects a fail-fast client and waits until it is ready.
 *
 * @example
 * const client = await connectClient(redis.port);
 */
export async function connectClient(port: number, extra: RedisOptions = {}): Promise<Redis> {
  return connectWith(Redis, port, extra);
}

/**
 * The same, on ioredis 6 (the `ioredis6` alias dev dependency), typed as the ioredis 5 client the
 * backends are declared against: the peer range admits both, and the suites must pass on both.
 *
 * @example
 * const client = await connectIoredis6(redis.port);
 */
export async function connectIoredis6(port: number, extra: RedisOptions = {}): Promise<Redis> {
  return connectWith(Redis6 as unknown as typeof Redis, port, extra);
}

async function connectWith(Client: typeof Redis, port: number, extra: RedisOptions): Promise<Redis> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    ...failFastRedisOptions,
    // Tests restart Redis on purpose; keep reconnect attempts quick.
    retryStrategy: () => 50,
    ...extra,
  });
  // An 'error' event without a listener would crash the test process when Redis is stopped.
  client.on('error', () => {});
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/**
 * Waits until `client` is ready again after an outage.
 *
 * @example
 * await redis.start();
 * await ready(client);
 */
export async function ready(client: Redis): Promise<void> {
  if (client.status !== 'ready') await once(client, 'ready');
}

/**
 * Deletes every key under `prefix` with SCAN (never KEYS) and returns how many there were.
 *
 * @example
 * expect(await deleteByPrefix(admin, prefix)).toBe(0);
 */
export async function scanKeys(client: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

/**
 * Kills the server side of every connection whose name is `name`, so ioredis reconnects it.
 *
 * @example
 * await killConnection(admin, 'sub-a');
 */
export async function killConnection(admin: Redis, name: string): Promise<number> {
  const list = (await admin.client('LIST')) as string;
  const ids = list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => id !== undefined);
  for (const id of ids) await admin.client('KILL', 'ID', id);
  return ids.length;
}
