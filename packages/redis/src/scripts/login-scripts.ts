import { luaScript } from './lua-script.js';

/**
 * Inserts a login unless its id is taken. KEYS[1] login hash · ARGV[1] record JSON (without the
 * end) · ARGV[2] retainUntil (ms epoch). Returns 1 when written, 0 when the id was taken.
 *
 * @example
 * await runScript(client, addLoginScript, [loginKey], [json, retainUntil]);
 */
export const addLoginScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'd', ARGV[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1
`);

/**
 * Indexes a login under its user and keeps the index at least until the login's own retention
 * (on Redis's clock, as the keys expire). KEYS[1] user's sorted set · ARGV[1] createdAt (score) ·
 * ARGV[2] login id · ARGV[3] retainUntil (ms epoch).
 *
 * @example
 * await runScript(client, indexLoginScript, [userKey], [createdAt, id, retainUntil]);
 */
export const indexLoginScript = luaScript(`
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ttl < 0 or now + ttl < tonumber(ARGV[3]) then redis.call('PEXPIREAT', KEYS[1], ARGV[3]) end
return 1
`);

/**
 * Ends a login once: the first end's instant and reason stay (HSETNX), its retention is kept.
 * KEYS[1] login hash · ARGV[1] endedAt (ms epoch) · ARGV[2] reason. Returns `[json, endedAt,
 * reason]` as stored afterwards, or nil when there is no such login.
 *
 * @example
 * const [json, endedAt, reason] = await runScript(client, endLoginScript, [loginKey], [Date.now(), 'user']);
 */
export const endLoginScript = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
if redis.call('HSETNX', KEYS[1], 'e', ARGV[1]) == 1 then redis.call('HSET', KEYS[1], 'r', ARGV[2]) end
return redis.call('HMGET', KEYS[1], 'd', 'e', 'r')
`);
