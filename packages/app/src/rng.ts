/**
 * Where device keys get their randomness. Hermes has no `crypto` of its own; an app provides one
 * through `react-native-get-random-values` (which installs `crypto.getRandomValues`) or by passing
 * `randomBytes` (e.g. from `expo-crypto`). Without either this refuses to work: a key made from
 * `Math.random` would be guessable, and a login key must never be.
 */
import { QrLoginError } from '@qrlogin/protocol';
import { platformGlobals, type RandomBytes } from './platform.js';

/** What the error says, so the fix is one search away. */
const NO_RANDOM_HINT =
  'no secure random source: install react-native-get-random-values and import it in your app entry file, ' +
  'or pass randomBytes (for example getRandomBytes from expo-crypto)';

/**
 * Picks the secure random source: the injected `randomBytes` if given, else
 * `globalThis.crypto.getRandomValues` as it is *now* (not at import time, so the polyfill may be
 * imported before or after this package). Throws `QrLoginError('NO_SECURE_RANDOM')` when there is
 * neither. The returned function checks every answer's type and length.
 *
 * @example
 * const random = resolveRandomBytes(options.randomBytes);
 * const seed = random(32);
 */
export function resolveRandomBytes(randomBytes?: RandomBytes): RandomBytes {
  if (randomBytes !== undefined && typeof randomBytes !== 'function') {
    throw new TypeError('randomBytes must be a function (length: number) => Uint8Array');
  }
  let source = randomBytes;
  if (source === undefined) {
    const crypto = platformGlobals().crypto;
    if (crypto && typeof crypto.getRandomValues === 'function') {
      // Called as a method: browsers throw "Illegal invocation" on a detached getRandomValues.
      source = (length) =>
        (crypto.getRandomValues as (array: Uint8Array) => Uint8Array).call(crypto, new Uint8Array(length));
    }
  }
  if (source === undefined) throw new QrLoginError('NO_SECURE_RANDOM', NO_RANDOM_HINT);
  const checked = source;
  return (length) => {
    const bytes = checked(length);
    if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
      throw new QrLoginError('NO_SECURE_RANDOM', `the random source must return a Uint8Array of ${length} bytes`);
    }
    return bytes;
  };
}
