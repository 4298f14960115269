import { luaScript } from './lua-script.js';

/**
 * Inserts a session unless its key exists.
 * KEYS[1] session key · ARGV[1] version · ARGV[2] record JSON · ARGV[3] retainUntil (ms epoch).
 * Returns 1 when written, 0 when the id was taken. The key expires at `retainUntil` on its own.
 *
 * @example
 * await runScript(client, createSessionScript, [key], ['1', json, retainUntil]);
 */
export const createSessionScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[3])
return 1
`);
