import { luaScript } from './lua-script.js';

/**
 * Stores a linked browser unless its token hash exists, with the record's own expiry, and indexes
 * it in the user's set, whose expiry is stretched to the latest token's. KEYS[1] token key ·
 * KEYS[2] user's set · ARGV[1] record JSON · ARGV[2] time to live (ms) · ARGV[3] token hash.
 * Returns 1 when written, 0 when refused.
 *
 * @example
 * await runScript(client, addLinkedBrowserScript, [tokenKey, userKey], [json, ttlMs, tokenHash]);
 */
export const addLinkedBrowserScript = luaScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) == false then return 0 end
redis.call('SADD', KEYS[2], ARGV[3])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
return 1
`);
