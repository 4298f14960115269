import { luaScript } from './lua-script.js';

/**
 * Counts one hit in a fixed window. The first hit of a window records its reset instant and gives
 * the key a relative TTL of the window, so the key disappears on Redis's own clock even when the
 * instances' clocks disagree with it.
 * KEYS[1] counter key · ARGV[1] window ms · ARGV[2] reset instant (caller's now + window, ms epoch).
 * Returns `{ count, resetAt }`.
 *
 * @example
 * const [count, resetAt] = await runScript(client, hitCounterScript, [key], [60000, Date.now() + 60000]);
 */
export const hitCounterScript = luaScript(`
local count = redis.call('HINCRBY', KEYS[1], 'c', 1)
if count == 1 or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('HSET', KEYS[1], 'r', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return {count, redis.call('HGET', KEYS[1], 'r')}
`);
