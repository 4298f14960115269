import { luaScript } from './lua-script.js';

/**
 * Registers a device unless its id or its public key is taken, and indexes it by key and by user,
 * all in one step. KEYS[1] device hash · KEYS[2] public-key index · KEYS[3] user's device set ·
 * ARGV[1] device id · ARGV[2] record JSON (without `revokedAt`) · ARGV[3] revokedAt or ''.
 * Returns 1 when written, 0 when refused.
 *
 * @example
 * await runScript(client, addDeviceScript, [deviceKey, publicKeyKey, userKey], [id, json, '']);
 */
export const addDeviceScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[2])
if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'r', ARGV[3]) end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[1])
return 1
`);
