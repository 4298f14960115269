import type { LinkedBrowserRecord, LinkedBrowserStore } from '@qrlogin/server';
import { callRedis, type RedisClient } from './client.js';
import { resolveKeyPrefix } from './key-prefix.js';
import { addLinkedBrowserScript } from './scripts/add-linked-browser.js';
import { runScript } from './scripts/lua-script.js';

/**
 * Options of {@link redisLinkedBrowserStore}.
 *
 * @example
 * const options: RedisLinkedBrowserStoreOptions = { client, keyPrefix: 'shop:qr:' };
 */
export interface RedisLinkedBrowserStoreOptions {
  /** A connected ioredis client (`Redis` or `Cluster`), owned by the host. */
  client: RedisClient;
  /**
   * Prefix of every key; no braces.
   * @default 'qrlogin:'
   */
  keyPrefix?: string;
}

// One shared hash tag: `add` writes the token and the user's index in one script, which on a
// Cluster needs both keys in one slot. Linked browsers are written once per login; one slot is plenty.
const TAG = '{linked}';

/**
 * The Redis {@link LinkedBrowserStore}: one key per token hash that Redis expires itself at the
 * record's `expiresAt`, and a per-user set of hashes for `removeByUser`. `add` is one Lua script;
 * `removeByUser` reads the set and then deletes, so a token added at that very instant may
 * survive it. Errors reaching Redis become `QrLoginError('STORE_UNAVAILABLE')`.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { failFastRedisOptions, redisLinkedBrowserStore } from '@qrlogin/redis';
 *
 * const linkedBrowsers = redisLinkedBrowserStore({ client: new Redis(failFastRedisOptions) });
 */
export function redisLinkedBrowserStore(options: RedisLinkedBrowserStoreOptions): LinkedBrowserStore {
  const { client } = options;
  if (!client || typeof client.evalsha !== 'function') {
    throw new TypeError('redisLinkedBrowserStore: option "client" must be an ioredis Redis or Cluster client');
  }
  const prefix = resolveKeyPrefix(options.keyPrefix, 'redisLinkedBrowserStore: option "keyPrefix"');
  const tokenKey = (hash: string) => `${prefix}${TAG}:t:${hash}`;
  const userKey = (userId: string) => `${prefix}${TAG}:u:${userId}`;

  return {
    async add(record) {
      // Redis expires on its own clock; the server also checks `expiresAt` on every read.
      const ttlMs = Math.max(1, Math.ceil(record.expiresAt - Date.now()));
      const result = await callRedis(client, 'link a browser', () =>
        runScript(
          client,
          addLinkedBrowserScript,
          [tokenKey(record.tokenHash), userKey(record.userId)],
          [JSON.stringify(record), ttlMs, record.tokenHash],
        ),
      );
      return result === 1;
    },

    async get(tokenHash) {
      const json = await callRedis(client, 'read a linked browser', () => client.get(tokenKey(tokenHash)));
      if (json === null) return null;
      const record = JSON.parse(json) as LinkedBrowserRecord;
      return record.expiresAt > Date.now() ? record : null;
    },

    async remove(tokenHash) {
      const removed = await callRedis(client, 'forget a linked browser', () => client.del(tokenKey(tokenHash)));
      return removed === 1;
    },

    async removeByUser(userId) {
      const hashes = await callRedis(client, 'list linked browsers', () => client.smembers(userKey(userId)));
      // The set may still name tokens removed one by one or expired: only the keys deleted count.
      const removed = hashes.length
        ? await callRedis(client, 'forget linked browsers', () => client.del(...hashes.map(tokenKey)))
        : 0;
      await callRedis(client, 'forget linked browsers', () => client.del(userKey(userId)));
      return removed;
    },
  } satisfies LinkedBrowserStore;
}
