import { luaScript } from './lua-script.js';

/**
 * PUBLISH with the channel named as a key. A Cluster client sends a key-less PUBLISH to any node,
 * and snapshots of one session sent through different nodes can overtake each other; named as a
 * key, every publish of a session goes to its slot's master (where the store's scripts publish
 * too), in order.
 * KEYS[1] channel · ARGV[1] message. Returns the number of receivers.
 *
 * @example
 * await runScript(cluster, publishScript, [sessionChannel(prefix, id)], [JSON.stringify(snapshot)]);
 */
export const publishScript = luaScript("return redis.call('PUBLISH', KEYS[1], ARGV[1])");
