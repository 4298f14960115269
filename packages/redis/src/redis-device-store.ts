import type { DeviceRecord, DeviceStore } from '@qrlogin/server';
import { callRedis, type RedisClient } from './client.js';
import { resolveKeyPrefix } from './key-prefix.js';
import { addDeviceScript } from './scripts/add-device.js';
import { runScript } from './scripts/lua-script.js';
import { revokeDeviceScript } from './scripts/revoke-device.js';
import { updateDeviceScript } from './scripts/update-device.js';

/**
 * Options of {@link redisDeviceStore}.
 *
 * @example
 * const options: RedisDeviceStoreOptions = { client, keyPrefix: 'shop:qr:' };
 */
export interface RedisDeviceStoreOptions {
  /** A connected ioredis client (`Redis` or `Cluster`), owned by the host. */
  client: RedisClient;
  /**
   * Prefix of every key; no braces.
   * @default 'qrlogin:'
   */
  keyPrefix?: string;
}

// Every device key carries one shared hash tag: registering checks the id and the public key and
// indexes the user in one script, which on a Cluster needs all three keys in one slot. Devices are
// few and written rarely, so one slot holds them comfortably.
const TAG = '{devices}';

/** The hash fields a device is read from: record JSON, revokedAt, label, lastUsedAt. */
const FIELDS = ['d', 'r', 'l', 'u'] as const;

/**
 * Stored form: the record as registered (JSON, without `revokedAt`) and beside it the revocation
 * instant, a renamed label and the last-used time, each written by its own script.
 */
function parse([json, revokedAt, label, lastUsedAt]: (string | null | undefined)[]): DeviceRecord | null {
  if (json === null || json === undefined) return null;
  const record = JSON.parse(json) as DeviceRecord;
  if (label !== null && label !== undefined) record.label = label;
  if (lastUsedAt !== null && lastUsedAt !== undefined) {
    record.lastUsedAt = Math.max(Number(lastUsedAt), record.lastUsedAt ?? 0);
  }
  if (revokedAt !== null && revokedAt !== undefined) record.revokedAt = Number(revokedAt);
  return record;
}

/**
 * The Redis {@link DeviceStore}: devices as hashes without TTL, a public-key index that keeps keys
 * unique, and a per-user set for `listByUser`. `add`, `revoke` and `update` are single Lua scripts;
 * `listByUser` reads the user's set and then the devices, so a device revoked at that very moment
 * may be listed either way. Errors reaching Redis become `QrLoginError('STORE_UNAVAILABLE')`.
 *
 * Most hosts keep devices in their own database next to their users; this store is for those who
 * would rather keep everything qrlogin needs in Redis (make sure it is persisted: AOF or RDB).
 *
 * @example
 * import { Redis } from 'ioredis';
 * import { failFastRedisOptions, redisDeviceStore } from '@qrlogin/redis';
 *
 * const devices = redisDeviceStore({ client: new Redis(failFastRedisOptions), keyPrefix: 'shop:qr:' });
 */
export function redisDeviceStore(options: RedisDeviceStoreOptions): DeviceStore {
  const { client } = options;
  if (!client || typeof client.evalsha !== 'function') {
    throw new TypeError('redisDeviceStore: option "client" must be an ioredis Redis or Cluster client');
  }
  const prefix = resolveKeyPrefix(options.keyPrefix, 'redisDeviceStore: option "keyPrefix"');
  const deviceKey = (id: string) => `${prefix}${TAG}:d:${id}`;
  const publicKeyKey = (publicKey: string) => `${prefix}${TAG}:k:${publicKey}`;
  const userKey = (userId: string) => `${prefix}${TAG}:u:${userId}`;

  return {
    async add(record) {
      const { revokedAt, ...rest } = record;
      const result = await callRedis(client, 'register a device', () =>
        runScript(
          client,
          addDeviceScript,
          [deviceKey(record.id), publicKeyKey(record.publicKey), userKey(record.userId)],
          [record.id, JSON.stringify(rest), revokedAt === undefined ? '' : String(revokedAt)],
        ),
      );
      return result === 1;
    },

    async get(id) {
      return parse(await callRedis(client, 'read a device', () => client.hmget(deviceKey(id), ...FIELDS)));
    },

    async revoke(id, at) {
      const result = await callRedis(client, 'revoke a device', () =>
        runScript(client, revokeDeviceScript, [deviceKey(id)], [Math.floor(at)]),
      );
      return result === 1;
    },

    async update(id, patch) {
      const label = patch.label ?? '';
      const lastUsedAt = patch.lastUsedAt === undefined ? '' : String(Math.floor(patch.lastUsedAt));
      const result = await callRedis(client, 'update a device', () =>
        runScript(client, updateDeviceScript, [deviceKey(id)], [label, lastUsedAt]),
      );
      return result === 1;
    },

    async listByUser(userId) {
      const ids = await callRedis(client, 'list devices', () => client.smembers(userKey(userId)));
      const rows = await callRedis(client, 'list devices', () =>
        Promise.all(ids.map((id) => client.hmget(deviceKey(id), ...FIELDS))),
      );
      return rows.map(parse).filter((d) => d !== null);
    },
  } satisfies DeviceStore;
}
