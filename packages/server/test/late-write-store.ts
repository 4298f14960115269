/** A store whose writes land but are reported failed: a redeem's outcome the host never heard. */
import { QrLoginError } from '@qrlogin/protocol';
import { memoryStore, type SessionStore } from '../src/index.js';

/**
 * The memory store, but the write that redeems lands and then reports a store failure, as a Redis
 * command that timed out on the client and ran on the server afterwards does. `failRedeemWrites` /
 * `failClaimWrites` count how many such writes still fail.
 *
 * @example
 * const store = lateWriteStore();
 * store.failRedeemWrites = 1; // the next redeem is answered 503, yet the session is redeemed
 */
export function lateWriteStore(): SessionStore & { failRedeemWrites: number; failClaimWrites: number } {
  const store = memoryStore();
  const wrapper = {
    failRedeemWrites: 0,
    failClaimWrites: 0,
    create: store.create,
    get: store.get,
    hit: store.hit,
    close: store.close,
    compareAndSet(next, expectedVersion, retainUntil) {
      const wrote = store.compareAndSet(next, expectedVersion, retainUntil);
      if (wrote && next.state === 'redeemed' && next.claimedAt === undefined && wrapper.failRedeemWrites > 0) {
        wrapper.failRedeemWrites--;
        throw new QrLoginError('STORE_UNAVAILABLE', 'the store timed out');
      }
      if (wrote && next.claimedAt !== undefined && wrapper.failClaimWrites > 0) {
        wrapper.failClaimWrites--;
        throw new QrLoginError('STORE_UNAVAILABLE', 'the store timed out');
      }
      return wrote;
    },
  } satisfies SessionStore & { failRedeemWrites: number; failClaimWrites: number };
  return wrapper;
}
