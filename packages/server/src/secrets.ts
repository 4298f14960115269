import { hash, randomInt, timingSafeEqual } from 'node:crypto';
import {
  BROWSER_SECRET_LENGTH,
  CHALLENGE_LENGTH,
  DEVICE_ID_LENGTH,
  LOGIN_ID_LENGTH,
  SESSION_ID_LENGTH,
} from '@qrlogin/protocol';
import { nanoid } from 'nanoid';

/** A new session id (132 bits, from the OS CSPRNG through nanoid). Never accepted from a client. */
export const newSessionId = (): string => nanoid(SESSION_ID_LENGTH);
/** A new browser secret (258 bits). Returned once; only its hash is stored. */
export const newBrowserSecret = (): string => nanoid(BROWSER_SECRET_LENGTH);
/** A new single-use scan challenge (258 bits). */
export const newChallenge = (): string => nanoid(CHALLENGE_LENGTH);
/** A new device id (132 bits). */
export const newDeviceId = (): string => nanoid(DEVICE_ID_LENGTH);
/** A new login id (132 bits), drawn at redeem. */
export const newLoginId = (): string => nanoid(LOGIN_ID_LENGTH);
/** A new two-digit number-matching code, uniform over 00–99. */
export const newMatchingCode = (): string => String(randomInt(100)).padStart(2, '0');

/** Hex SHA-256 of a browser secret: what the store keeps instead of the secret. */
export function hashSecret(secret: string): string {
  // The one-shot `crypto.hash` (Node ≥ 20.12) skips building a Hash object: a third of the cost.
  return hash('sha256', secret, 'hex');
}

/**
 * Compares a presented secret with the stored hash in constant time. Hashing first makes both
 * sides the same length whatever was presented, so the comparison leaks neither the secret nor its
 * length.
 */
export function secretMatches(presented: string, storedHash: string): boolean {
  const a = hash('sha256', presented, 'buffer');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
