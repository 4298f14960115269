import { luaScript } from './lua-script.js';

/**
 * {@link compareAndSetScript} that also PUBLISHes the session's snapshot when it writes: the
 * change and its announcement in one atomic step and one round trip, so a won write can never
 * miss its publish. The channel shares the session's `{sessionId}` hash tag (one Cluster slot).
 * KEYS[1] session key · KEYS[2] session channel · ARGV[1] expected version · ARGV[2] next version ·
 * ARGV[3] record JSON · ARGV[4] retainUntil (ms epoch) · ARGV[5] snapshot JSON. Returns 1 / 0.
 *
 * @example
 * await runScript(client, compareAndSetPublishScript, [key, channel], ['1', '2', json, retainUntil, snapshot]);
 */
export const compareAndSetPublishScript = luaScript(`
local current = redis.call('HGET', KEYS[1], 'v')
if current ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'd', ARGV[3])
redis.call('PEXPIREAT', KEYS[1], ARGV[4])
redis.call('PUBLISH', KEYS[2], ARGV[5])
return 1
`);
