import { createHash } from 'node:crypto';
import type { LoginEndReason, LoginLedger, LoginRecord } from '@qrlogin/server';
import { callRedis, type RedisClient } from './client.js';
import { resolveKeyPrefix } from './key-prefix.js';
import { addLoginScript, endLoginScript, indexLoginScript } from './scripts/login-scripts.js';
import { runScript } from './scripts/lua-script.js';

/**
 * Options of {@link redisLoginLedger}.
 *
 * @example
 * const options: RedisLoginLedgerOptions = { client, keyPrefix: 'shop:qr:' };
 */
export interface RedisLoginLedgerOptions {
  /** A connected ioredis client (`Redis` or `Cluster`), owned by the host. */
  client: RedisClient;
  /**
   * Prefix of every key; no braces.
   * @default 'qrlogin:'
   */
  keyPrefix?: string;
}

/**
 * Key of a login: one hash `{ d: record JSON, e: endedAt, r: endReason }` expiring at the login's
 * retention. Hash-tagged by its own id, so every single-login command is one slot.
 *
 * @example
 * loginKey('qrlogin:', 'V1StGXR8_Z5jdHi6B-myT0') // 'qrlogin:l:{V1StGXR8_Z5jdHi6B-myT0}'
 */
export function loginKey(prefix: string, loginId: string): string {
  return `${prefix}l:{${loginId}}`;
}

/**
 * Key of a user's login index: a sorted set of login ids scored by `createdAt`. The user id is
 * hashed (any string, braces and newlines included, makes a short key) and the hash is the key's
 * hash tag, so users spread over a Cluster's slots.
 *
 * @example
 * userLoginsKey('qrlogin:', 'alice') // 'qrlogin:lu:{K9gGyX8OAK8aH8Myj6djqSaXI8jbj6xPk69x2xhtbpA}'
 */
export function userLoginsKey(prefix: string, userId: string): string {
  return `${prefix}lu:{${createHash('sha256').update(userId).digest('base64url')}}`;
}

function parse(row: readonly (string | null)[] | null): LoginRecord | null {
  const [json, endedAt, reason] = row ?? [];
  if (typeof json !== 'string') return null;
  const record = JSON.parse(json) as LoginRecord;
  if (typeof endedAt === 'string') record.endedAt = Number(endedAt);
  if (typeof reason === 'string') record.endReason = reason as LoginEndReason;
  return record;
}

/**
 * The Redis {@link LoginLedger}. Every command touches one key, so it runs unchanged on a Cluster:
 * `add` indexes the login under its user and then writes it (two steps: a failure between them
 * leaves an index entry without a login, which listing skips and prunes, never a login missing
 * from its user's list); `end` is one Lua script, so the first end wins on every instance; logins
 * expire at their retention on Redis's clock. Errors reaching Redis become
 * `QrLoginError('STORE_UNAVAILABLE')`.
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { createQrLogin } from '@qrlogin/server';
 * import { failFastRedisOptions, redisLoginLedger } from '@qrlogin/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, failFastRedisOptions);
 * const qr = createQrLogin({ origin: 'https://example.com', logins: redisLoginLedger({ client }) });
 */
export function redisLoginLedger(options: RedisLoginLedgerOptions): LoginLedger {
  const { client } = options;
  if (!client || typeof client.evalsha !== 'function') {
    throw new TypeError('redisLoginLedger: option "client" must be an ioredis Redis or Cluster client');
  }
  const prefix = resolveKeyPrefix(options.keyPrefix, 'redisLoginLedger: option "keyPrefix"');
  const read = (id: string) => client.hmget(loginKey(prefix, id), 'd', 'e', 'r');
  const end = async (id: string, at: number, reason: LoginEndReason): Promise<LoginRecord | null> => {
    const row = await callRedis(client, 'end a login', () =>
      runScript(client, endLoginScript, [loginKey(prefix, id)], [Math.floor(at), reason]),
    );
    return parse(row as (string | null)[] | null);
  };

  return {
    async add(record, retainUntil) {
      const { endedAt: _e, endReason: _r, ...rest } = record;
      const until = Math.floor(retainUntil);
      // The index first: a login must never exist without being listed for its user.
      await callRedis(client, 'index a login', () =>
        runScript(
          client,
          indexLoginScript,
          [userLoginsKey(prefix, record.userId)],
          [record.createdAt, record.id, until],
        ),
      );
      const written = await callRedis(client, 'record a login', () =>
        runScript(client, addLoginScript, [loginKey(prefix, record.id)], [JSON.stringify(rest), until]),
      );
      if (written !== 1) return false;
      // A login written with its end (a host importing history) keeps it.
      if (record.endedAt !== undefined) await end(record.id, record.endedAt, record.endReason ?? 'host');
      return true;
    },

    async get(id) {
      return parse(await callRedis(client, 'read a login', () => read(id)));
    },

    async listByUser(userId) {
      const key = userLoginsKey(prefix, userId);
      const ids = await callRedis(client, 'list logins', () => client.zrevrange(key, 0, -1));
      const rows = await callRedis(client, 'list logins', () => Promise.all(ids.map(read)));
      const logins: LoginRecord[] = [];
      const stale: string[] = [];
      rows.forEach((row, i) => {
        const login = parse(row);
        // An id left by a failed or refused add (taken by another user's login) is not this user's.
        if (login?.userId === userId) logins.push(login);
        else stale.push(ids[i] as string);
      });
      if (stale.length > 0) await callRedis(client, 'prune logins', () => client.zrem(key, ...stale));
      return logins;
    },

    end,
  } satisfies LoginLedger;
}
