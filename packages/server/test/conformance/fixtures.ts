/**
 * Records the conformance suites write: well-formed, with fresh random ids so suites sharing one
 * backend (one Redis) never collide.
 */
import { randomBytes } from 'node:crypto';
import type { DeviceRecord, LoginRecord, SessionRecord } from '../../src/store/types.js';

/** A fresh 22-symbol base64url id, the format of session and device ids. */
export function randomId(): string {
  return randomBytes(16).toString('base64url');
}

/** A fresh 43-symbol base64url token, the format of challenges and public keys. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A pending session record created at `now`.
 *
 * @example
 * const record = sessionRecord({ now: clock.now() });
 */
export function sessionRecord(options: { now: number; id?: string; version?: number }): SessionRecord {
  return {
    id: options.id ?? randomId(),
    secretHash: randomBytes(32).toString('hex'),
    state: 'pending',
    version: options.version ?? 1,
    createdAt: options.now,
    expiresAt: options.now + 120_000,
    updatedAt: options.now,
    requester: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
      browser: 'Chrome 131',
      os: 'Linux',
      origin: 'https://example.com',
      place: 'Zürich, CH — “quoted” \u2028 line',
      createdAt: options.now,
    },
  };
}

/**
 * The record `scan` would write over `previous`: next version, every optional field filled.
 *
 * @example
 * const next = scannedRecord(record, clock.now());
 */
export function scannedRecord(previous: SessionRecord, now: number, deviceId = randomId()): SessionRecord {
  return {
    ...previous,
    state: 'scanned',
    version: previous.version + 1,
    updatedAt: now,
    deviceId,
    userId: `user-${deviceId}`,
    challenge: randomToken(),
    code: '07',
    scanIp: '2001:db8::1',
  };
}

/**
 * A device record of `userId`, created at `now`.
 *
 * @example
 * const device = deviceRecord({ userId: 'alice', now: Date.now() });
 */
export function deviceRecord(options: { userId: string; now: number; id?: string; publicKey?: string }): DeviceRecord {
  return {
    id: options.id ?? randomId(),
    userId: options.userId,
    publicKey: options.publicKey ?? randomToken(),
    label: 'Ana’s iPhone',
    createdAt: options.now,
  };
}

/**
 * A login of `userId` redeemed at `createdAt`, with a receipt (every optional field but the end).
 *
 * @example
 * const login = loginRecord({ userId: 'alice', createdAt: Date.now() });
 */
export function loginRecord(options: {
  userId: string;
  createdAt: number;
  id?: string;
  deviceId?: string;
}): LoginRecord {
  return {
    id: options.id ?? randomId(),
    userId: options.userId,
    deviceId: options.deviceId ?? randomId(),
    sessionId: randomId(),
    requester: {
      ip: '2001:db8::7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
      browser: 'Chrome 131',
      os: 'Linux',
      origin: 'https://example.com',
      place: 'Zürich, CH — “quoted” \u2028 line',
      createdAt: options.createdAt - 5_000,
    },
    createdAt: options.createdAt,
    receipt: {
      message: 'qrlogin-signature-v3\naction:confirm\naud:https://example.com',
      signature: randomToken(),
      publicKey: randomToken(),
      context: 'Chrome 131 on Linux, near Zürich',
    },
  };
}
