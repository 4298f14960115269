/**
 * The canonical bytes a device signs. One function builds them for the app and for the server, so
 * the two can never disagree on what a signature covers.
 *
 * The message is ASCII text, one `name:value` field a line, in a fixed order, every field always
 * present (empty when it does not apply), behind a domain-separation header that names the protocol
 * and its version:
 *
 * ```text
 * qrlogin-signature-v1
 * action:confirm
 * aud:https://example.com
 * sid:V1StGXR8_Z5jdHi6B-myT0
 * chal:…43 chars…
 * dev:…22 chars…
 * key:
 * ts:1767225600000
 * code:42
 * ```
 *
 * Every value is validated against its own strict format before it is written (ids from the
 * base64url alphabet, the audience a bare origin, the timestamp a safe integer), so no value can
 * contain a newline or a colon-smuggled second field: the text parses back to exactly one tuple.
 */

import { QrLoginError } from './errors.js';
import { isChallenge, isCode, isDeviceId, isPublicKeyText, isSessionId } from './ids.js';
import { isCanonicalOrigin } from './origin.js';

/** Protocol version this library speaks; part of every signed message. */
export const PROTOCOL_VERSION = 1;

/** The domain-separation header: no other protocol's signature can be mistaken for ours. */
export const SIGNATURE_HEADER = 'qrlogin-signature-v1';

/** What a signature authorises. */
export type SignedAction = 'scan' | 'confirm' | 'reject' | 'register' | 'revoke';

const ACTIONS: readonly SignedAction[] = ['scan', 'confirm', 'reject', 'register', 'revoke'];

/** The fields bound by a signature. Fields that do not apply to an action are left out. */
export interface SignedFields {
  action: SignedAction;
  /** The server's origin (the audience), e.g. `https://example.com`. */
  audience: string;
  /** Session being scanned / confirmed / rejected. */
  sessionId?: string;
  /** The single-use challenge the server issued at scan (confirm and reject). */
  challenge?: string;
  /** The signing device (scan, confirm, reject, revoke). */
  deviceId?: string;
  /** The public key being registered (register). */
  publicKey?: string;
  /** Device clock, milliseconds since the Unix epoch. */
  timestamp: number;
  /** Number-matching code typed on the phone (confirm, when number matching is on). */
  code?: string;
}

function fail(field: string, expected: string): never {
  throw new QrLoginError('INVALID_REQUEST', `signed field "${field}" must be ${expected}`);
}

/** Which optional fields each action requires; any other optional field must be absent. */
const REQUIRED: Record<SignedAction, readonly (keyof SignedFields)[]> = {
  scan: ['sessionId', 'deviceId'],
  confirm: ['sessionId', 'challenge', 'deviceId'],
  reject: ['sessionId', 'challenge', 'deviceId'],
  register: ['publicKey'],
  revoke: ['deviceId'],
};

/**
 * Builds the canonical text of a signed message, after checking every field's format and that the
 * action has exactly the fields it needs. Throws `QrLoginError('INVALID_REQUEST')` otherwise.
 *
 * @example
 * const text = canonicalMessage({
 *   action: 'confirm', audience: 'https://example.com', sessionId, challenge, deviceId,
 *   timestamp: Date.now(), code: '42',
 * });
 */
export function canonicalMessage(fields: SignedFields): string {
  if (!ACTIONS.includes(fields.action)) fail('action', `one of ${ACTIONS.join(', ')}`);
  if (!isAudience(fields.audience)) fail('audience', 'a lower-case origin like https://example.com');
  if (!Number.isSafeInteger(fields.timestamp) || fields.timestamp < 0) fail('timestamp', 'a non-negative integer');
  const required = REQUIRED[fields.action];
  const check = (name: keyof SignedFields, valid: (v: unknown) => boolean, expected: string): string => {
    const value = fields[name];
    if (required.includes(name)) {
      if (!valid(value)) fail(name, expected);
      return value as string;
    }
    if (name === 'code' && fields.action === 'confirm' && value !== undefined) {
      if (!valid(value)) fail(name, expected);
      return value as string;
    }
    if (value !== undefined && value !== '') fail(name, `absent for action "${fields.action}"`);
    return '';
  };
  return (
    `${SIGNATURE_HEADER}\naction:${fields.action}\naud:${fields.audience}` +
    `\nsid:${check('sessionId', isSessionId, 'a session id')}` +
    `\nchal:${check('challenge', isChallenge, 'a challenge')}` +
    `\ndev:${check('deviceId', isDeviceId, 'a device id')}` +
    `\nkey:${check('publicKey', isPublicKeyText, 'a base64url Ed25519 public key')}` +
    `\nts:${fields.timestamp}\ncode:${check('code', isCode, 'two digits')}`
  );
}

// A server signs and verifies for one audience, its own origin: parsing it again for every
// message would be most of the message's cost. Only an audience that passed is remembered.
let lastAudience = '';
function isAudience(value: string): boolean {
  if (value === lastAudience && value !== '') return true;
  if (!isCanonicalOrigin(value)) return false;
  lastAudience = value;
  return true;
}

/**
 * The bytes that are signed: the canonical text as ASCII (ASCII by construction). Falls back to a
 * plain loop where `TextEncoder` is missing (older React Native Hermes).
 *
 * @example
 * const bytes = canonicalBytes(fields);
 * const signature = nacl.sign.detached(bytes, secretKey);
 */
export function canonicalBytes(fields: SignedFields): Uint8Array {
  const text = canonicalMessage(fields);
  if (encoder) return encoder.encode(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// ASCII is UTF-8, so where `TextEncoder` exists (Node, browsers, recent Hermes) its native encoder
// gives the same bytes as the loop, several times faster.
const TextEncoderClass = (globalThis as { TextEncoder?: new () => { encode(text: string): Uint8Array } }).TextEncoder;
const encoder = TextEncoderClass ? new TextEncoderClass() : undefined;
