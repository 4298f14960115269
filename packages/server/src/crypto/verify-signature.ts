import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { decodeBase64Url } from '@qrlogin/protocol';

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// KeyObjects are cheap to keep and not free to build; devices confirm repeatedly. Keyed by the
// key's base64url text as stored, so a hit costs neither a decode nor an import.
const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 10_000;

function keyObject(publicKey: string): KeyObject | null {
  let key = keyCache.get(publicKey);
  if (!key) {
    const raw = decodeBase64Url(publicKey);
    if (raw?.length !== 32) return null;
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(publicKey, key);
  }
  return key;
}

/** The share of wall time inline verification may take; the rest goes to the thread pool. */
const INLINE_SHARE = 0.02;
/** The most inline verification that may run back to back (about ten verifications). */
const INLINE_BURST_MS = 1;

/**
 * A token bucket of event-loop time for inline verification: it refills at `share` of wall time,
 * holds at most `burstMs`, and every inline verification is charged what it took. Whatever the
 * traffic, inline verification then takes at most `share` of the loop (plus one burst), and never
 * more than `burstMs` (plus one verification) in a row.
 */
export class InlineBudget {
  #credit: number;
  #at = 0;

  constructor(
    readonly share = INLINE_SHARE,
    readonly burstMs = INLINE_BURST_MS,
  ) {
    this.#credit = burstMs;
  }

  /** True when a verification starting at `now` (a monotonic ms clock) may run inline. */
  allows(now: number): boolean {
    this.#credit = Math.min(this.burstMs, this.#credit + (now - this.#at) * this.share);
    this.#at = now;
    return this.#credit > 0;
  }

  /** Charges `ms` of inline work. */
  spend(ms: number): void {
    this.#credit -= ms;
  }
}

const sharedBudget = new InlineBudget();

/**
 * Verifies an Ed25519 signature with Node's native (OpenSSL) implementation, which follows
 * RFC 8032 strictly: it refuses non-canonical `S` (so `S + L` malleated signatures fail), unlike
 * tweetnacl's verify. `publicKey` is the raw key in unpadded base64url (as devices register it); a
 * key that does not decode to 32 bytes verifies nothing.
 *
 * Under load, verification runs on the libuv thread pool, so the event loop does not wait for it
 * and both cores verify. At low rates it runs inline, within an {@link InlineBudget} of 2 % of
 * the loop's time: there a ~90 µs verification blocks nothing that is waiting, and the hand-off
 * costs more than it saves. Waking a pool thread and then the loop again made a lone
 * scan + confirm cost ~40 % more server CPU and twice the latency on the reference machine
 * (`docs/benchmarks.md`, "Fourth round: verification at low rates").
 *
 * @example
 * const ok = await verifyEd25519(device.publicKey, messageBytes, signatureBytes);
 */
export function verifyEd25519(
  publicKey: string,
  message: Uint8Array,
  signature: Uint8Array,
  budget: InlineBudget = sharedBudget,
): Promise<boolean> {
  const key = signature.length === 64 ? keyObject(publicKey) : null;
  if (!key) return Promise.resolve(false);
  const start = performance.now();
  if (budget.allows(start)) {
    let ok = false;
    try {
      ok = verify(null, message, key, signature);
    } catch {
      // Same answer as the pool's callback error: it verifies nothing.
    }
    budget.spend(performance.now() - start);
    return Promise.resolve(ok);
  }
  return new Promise((resolve) => {
    verify(null, message, key, signature, (err, ok) => resolve(!err && ok));
  });
}
