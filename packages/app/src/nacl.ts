/**
 * The one tweetnacl build the package uses, so key derivation, signing and `setPRNG` all act on the
 * same module instance.
 */
// nacl-fast, not the compact nacl.js: Hermes runs both without a JIT, where the compact build's
// bit-by-bit field arithmetic costs ~4x more per derivation and per signature (measured in
// `pnpm bench --only=8`: ~75 ms vs ~18 ms each on Hermes 0.12), long enough to freeze the JS thread.
// The fast build is ~4 kB larger gzipped; the size budget was raised for it.
import nacl from 'tweetnacl';

/**
 * tweetnacl's fast build (same API and types as `tweetnacl`).
 *
 * @example
 * const pair = nacl.sign.keyPair.fromSeed(seed);
 */
export { nacl };
