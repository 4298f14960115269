import type { SessionRecord, SessionStore } from '@qrlogin/server';
import { callRedis, type RedisClient } from './client.js';
import { resolveKeyPrefix } from './key-prefix.js';
import { redisBusTarget, sessionChannel } from './redis-bus.js';
import { compareAndSetScript } from './scripts/compare-and-set.js';
import { compareAndSetPublishScript } from './scripts/compare-and-set-publish.js';
import { createSessionScript } from './scripts/create-session.js';
import { hitCounterScript } from './scripts/hit-counter.js';
import { runScript } from './scripts/lua-script.js';

/**
 * Options of {@link redisStore}.
 *
 * @example
 * const options: RedisStoreOptions = { client, keyPrefix: 'shop:qr:' };
 */
export interface RedisStoreOptions {
  /** A connected ioredis client (`Redis` or `Cluster`), owned by the host. */
  client: RedisClient;
  /**
   * Prefix of every key; no braces (they would override the Cluster hash tags).
   * @default 'qrlogin:'
   */
  keyPrefix?: string;
}

/**
 * Key of a session: one hash `{ v: version, d: record JSON }`. The `{sessionId}` hash tag puts the
 * session and its bus channel in one Cluster slot.
 *
 * @example
 * sessionKey('qrlogin:', 'V1StGXR8_Z5jdHi6B-myT0') // 'qrlogin:s:{V1StGXR8_Z5jdHi6B-myT0}'
 */
export function sessionKey(prefix: string, sessionId: string): string {
  return `${prefix}s:{${sessionId}}`;
}

/**
 * Key of a rate-limit counter: one hash `{ c: count, r: resetAt }` with a TTL of its window.
 *
 * @example
 * counterKey('qrlogin:', 'create:203.0.113.7') // 'qrlogin:rl:create:203.0.113.7'
 */
export function counterKey(prefix: string, key: string): string {
  return `${prefix}rl:${key}`;
}

/**
 * Key of a "Can't scan?" short code: a string holding its session id, expiring with the session.
 * No hash tag: a code is looked up on its own, never together with its session in one script.
 *
 * @example
 * shortCodeKey('qrlogin:', 'K7M2Q9RT') // 'qrlogin:sc:K7M2Q9RT'
 */
export function shortCodeKey(prefix: string, code: string): string {
  return `${prefix}sc:${code}`;
}

/**
 * The Redis {@link SessionStore}, for running many server instances on one Redis (or Cluster).
 *
 * - Every write is one Lua script: `create` inserts only when the key is absent, `compareAndSet`
 *   replaces only when the stored version matches, so racing instances produce exactly one outcome.
 * - Sessions expire at `retainUntil` (`PEXPIREAT`) and rate-limit counters after their window
 *   (`PEXPIRE`): Redis forgets everything by itself, nothing needs a sweeper.
 * - When Redis is unreachable every method rejects at once with `QrLoginError('STORE_UNAVAILABLE')`
 *   (503) and resumes when the client reconnects. Configure the client with
 *   {@link failFastRedisOptions} so a command never waits in ioredis's offline queue.
 *
 * `close()` does not quit the client: the host owns it.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createQrLogin } from '@qrlogin/server';
 * import { failFastRedisOptions, redisBus, redisDeviceStore, redisStore } from '@qrlogin/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, failFastRedisOptions);
 * const subscriber = client.duplicate();
 * const qr = createQrLogin({
 *   origin: 'https://example.com',
 *   store: redisStore({ client }),
 *   devices: redisDeviceStore({ client }),
 *   bus: redisBus({ publisher: client, subscriber }),
 * });
 */
export function redisStore(options: RedisStoreOptions): SessionStore {
  const { client } = options;
  if (!client || typeof client.evalsha !== 'function') {
    throw new TypeError('redisStore: option "client" must be an ioredis Redis or Cluster client');
  }
  const prefix = resolveKeyPrefix(options.keyPrefix, 'redisStore: option "keyPrefix"');

  return {
    async create(record, retainUntil) {
      const result = await callRedis(client, 'create a session', () =>
        runScript(
          client,
          createSessionScript,
          [sessionKey(prefix, record.id)],
          [String(record.version), JSON.stringify(record), Math.ceil(retainUntil)],
        ),
      );
      return result === 1;
    },

    async get(id) {
      const json = await callRedis(client, 'read a session', () => client.hget(sessionKey(prefix, id), 'd'));
      return json === null ? null : (JSON.parse(json) as SessionRecord);
    },

    async compareAndSet(next, expectedVersion, retainUntil) {
      const result = await callRedis(client, 'update a session', () =>
        runScript(
          client,
          compareAndSetScript,
          [sessionKey(prefix, next.id)],
          [String(expectedVersion), String(next.version), JSON.stringify(next), Math.ceil(retainUntil)],
        ),
      );
      return result === 1;
    },

    async compareAndSetAndPublish(next, expectedVersion, retainUntil, snapshot, bus) {
      // Publishing from the store's client reaches the bus's subscribers only on the same server.
      const target = redisBusTarget(bus);
      if (!target || !sameServer(client, target.publisher)) return null;
      const result = await callRedis(client, 'update a session', () =>
        runScript(
          client,
          compareAndSetPublishScript,
          [sessionKey(prefix, next.id), sessionChannel(target.prefix, next.id)],
          [
            String(expectedVersion),
            String(next.version),
            JSON.stringify(next),
            Math.ceil(retainUntil),
            JSON.stringify(snapshot),
          ],
        ),
      );
      return result === 1;
    },

    async hit(key, windowMs) {
      const window = Math.max(1, Math.ceil(windowMs));
      const result = await callRedis(client, 'count a rate-limit hit', () =>
        runScript(client, hitCounterScript, [counterKey(prefix, key)], [window, Date.now() + window]),
      );
      const [count, resetAt] = result as [number, string];
      return { count, resetAt: Number(resetAt) };
    },

    async addShortCode(code, sessionId, retainUntil) {
      // SET … NX in one command: of two instances claiming one code, exactly one gets "OK".
      const result = await callRedis(client, 'claim a short code', () =>
        client.set(shortCodeKey(prefix, code), sessionId, 'PXAT', Math.ceil(retainUntil), 'NX'),
      );
      return result === 'OK';
    },

    async findShortCode(code) {
      return callRedis(client, 'read a short code', () => client.get(shortCodeKey(prefix, code)));
    },
  } satisfies SessionStore;
}

/**
 * Whether two clients talk to the same Redis: the same client, or standalone clients with the same
 * host, port and database. Cluster clients count only when they are the same object.
 */
function sameServer(a: RedisClient, b: RedisClient): boolean {
  if (a === b) return true;
  const oa = (a as { options?: { host?: string; port?: number; db?: number; path?: string } }).options;
  const ob = (b as { options?: { host?: string; port?: number; db?: number; path?: string } }).options;
  if (!oa || !ob || 'startupNodes' in a || 'startupNodes' in b) return false;
  return oa.host === ob.host && oa.port === ob.port && (oa.db ?? 0) === (ob.db ?? 0) && oa.path === ob.path;
}
