/**
 * Runs Lua scripts the way ioredis's `defineCommand` does (EVALSHA, falling back to EVAL when the
 * server does not know the script yet, e.g. after a restart or failover), without adding commands
 * to the host's client object.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../client.js';

/** A Lua script and its SHA-1, ready for EVALSHA. */
export interface LuaScript {
  readonly lua: string;
  readonly sha: string;
}

/**
 * Wraps Lua source as a {@link LuaScript}.
 *
 * @example
 * const script = luaScript("return redis.call('GET', KEYS[1])");
 */
export function luaScript(lua: string): LuaScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * Runs `script` atomically with `keys` and `args`.
 *
 * @example
 * const won = await runScript(client, compareAndSetScript, [key], ['1', '2', json, '1767225720000']);
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return client.eval(script.lua, keys.length, ...keys, ...args);
  }
}
