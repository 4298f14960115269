/**
 * Key names. Everything the backends write starts with the configured `keyPrefix`, so several apps
 * can share one Redis and `SCAN MATCH <prefix>*` finds all of qrlogin's keys.
 */

/**
 * Default prefix of every key and channel.
 *
 * @example
 * const keys = await scanAll(client, `${DEFAULT_KEY_PREFIX}*`); // everything qrlogin wrote
 */
export const DEFAULT_KEY_PREFIX = 'qrlogin:';

/**
 * Validates a `keyPrefix` option. Braces are refused: Redis Cluster hashes the first `{…}` of a key,
 * so a brace in the prefix would silently replace the per-session hash tags.
 *
 * @example
 * resolveKeyPrefix(undefined) // 'qrlogin:'
 */
export function resolveKeyPrefix(keyPrefix: string | undefined, option = 'keyPrefix'): string {
  const prefix = keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof prefix !== 'string' || prefix.length > 100 || /[{}\s]/.test(prefix)) {
    throw new TypeError(`${option} must be a string of at most 100 characters without braces or spaces`);
  }
  return prefix;
}
