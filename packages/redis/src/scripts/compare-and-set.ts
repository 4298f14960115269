import { luaScript } from './lua-script.js';

/**
 * Replaces a session if and only if its stored version is the expected one: the single atomic step
 * behind every state transition, so racing instances produce exactly one outcome.
 * KEYS[1] session key · ARGV[1] expected version · ARGV[2] next version · ARGV[3] record JSON ·
 * ARGV[4] retainUntil (ms epoch). Returns 1 when written, 0 otherwise (missing key or other version).
 *
 * @example
 * await runScript(client, compareAndSetScript, [key], ['1', '2', json, retainUntil]);
 */
export const compareAndSetScript = luaScript(`
local current = redis.call('HGET', KEYS[1], 'v')
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
return 1
`);
