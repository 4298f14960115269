/**
 * The canonical bytes a device signs. One function builds them for the app and for the server, so
 * the two can never disagree on what a signature covers.
 *
 * The message is ASCII text, one `name:value` field a line, in a fixed order, every field always
 * present (empty when it does not apply), behind a domain-separation header that names the protocol
 * and the message version. Version 1 (scan, confirm, reject, revoke):
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
 * Version 2 (register) adds `user:` after `key:`, the account the key is being registered to, as
 * base64url of its UTF-8 bytes, so a captured registration cannot be replayed under another account.
 *
 * Every value is validated against its own strict format before it is written (ids from the
 * base64url alphabet, the audience a bare origin, the timestamp a safe integer), so no value can
 * contain a newline or a colon-smuggled second field: the text parses back to exactly one tuple.
 */

import { encodeBase64Url } from './base64url.js';
import { QrLoginError } from './errors.js';
import { isChallenge, isCode, isDeviceId, isPublicKeyText, isSessionId } from './ids.js';
import { isCanonicalOrigin } from './origin.js';

/** Protocol version this library speaks; part of every signed message. */
export const PROTOCOL_VERSION = 1;

/** What a signature authorises. */
export type SignedAction = 'scan' | 'confirm' | 'reject' | 'register' | 'revoke';

/** A version of the signed message; its header line is `qrlogin-signature-v<version>`. */
export type SignatureVersion = 1 | 2;

/**
 * The message version each action is signed with, and the only one a server accepts for it.
 * `register` is version 2 since it binds the account (`user`); version 1 of it bound only the key
 * and time, so a captured body could be registered first under someone else's account.
 *
 * @example
 * SIGNATURE_VERSIONS.register // 2
 */
export const SIGNATURE_VERSIONS: Readonly<Record<SignedAction, SignatureVersion>> = {
  scan: 1,
  confirm: 1,
  reject: 1,
  register: 2,
  revoke: 1,
};

/** Longest account id (`userId`) a registration can bind, in UTF-16 code units. */
export const MAX_USER_ID_LENGTH = 256;

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
  /**
   * The account the key is registered to (register, version 2): exactly the `userId` the host's
   * `authenticate` hook returns for the signed-in user.
   */
  userId?: string;
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
  register: ['publicKey', 'userId'],
  revoke: ['deviceId'],
};

/**
 * Builds the canonical text of a signed message, after checking every field's format and that the
 * action has exactly the fields it needs. Throws `QrLoginError('INVALID_REQUEST')` otherwise.
 * `version` defaults to the action's {@link SIGNATURE_VERSIONS} entry; a server builds version 1
 * of `register` (without `userId`) only to recognise an outdated app.
 *
 * @example
 * const text = canonicalMessage({
 *   action: 'confirm', audience: 'https://example.com', sessionId, challenge, deviceId,
 *   timestamp: Date.now(), code: '42',
 * });
 */
export function canonicalMessage(
  fields: SignedFields,
  version: SignatureVersion = SIGNATURE_VERSIONS[fields.action],
): string {
  if (!ACTIONS.includes(fields.action)) fail('action', `one of ${ACTIONS.join(', ')}`);
  if (version !== SIGNATURE_VERSIONS[fields.action] && !(version === 1 && fields.action === 'register')) {
    fail('version', `${SIGNATURE_VERSIONS[fields.action]} for action "${fields.action}"`);
  }
  if (!isAudience(fields.audience)) fail('audience', 'a lower-case origin like https://example.com');
  if (!Number.isSafeInteger(fields.timestamp) || fields.timestamp < 0) fail('timestamp', 'a non-negative integer');
  const required: readonly (keyof SignedFields)[] =
    version === 1 && fields.action === 'register' ? ['publicKey'] : REQUIRED[fields.action];
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
  const user = check('userId', isUserId, `a string of 1–${MAX_USER_ID_LENGTH} characters of well-formed Unicode`);
  return (
    `qrlogin-signature-v${version}\naction:${fields.action}\naud:${fields.audience}` +
    `\nsid:${check('sessionId', isSessionId, 'a session id')}` +
    `\nchal:${check('challenge', isChallenge, 'a challenge')}` +
    `\ndev:${check('deviceId', isDeviceId, 'a device id')}` +
    `\nkey:${check('publicKey', isPublicKeyText, 'a base64url Ed25519 public key')}` +
    (version === 2 ? `\nuser:${encodeBase64Url(utf8Bytes(user))}` : '') +
    `\nts:${fields.timestamp}\ncode:${check('code', isCode, 'two digits')}`
  );
}

function isUserId(value: unknown): boolean {
  return (
    typeof value === 'string' && value.length > 0 && value.length <= MAX_USER_ID_LENGTH && utf8Bytes(value).length > 0
  );
}

/**
 * UTF-8 of a string, by hand (older Hermes has no `TextEncoder`). A lone surrogate has no UTF-8
 * form (an encoder would write U+FFFD, so two ids would sign alike): it gives an empty array.
 */
function utf8Bytes(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const low = text.charCodeAt(i + 1);
      if (c > 0xdbff || !(low >= 0xdc00 && low <= 0xdfff)) return new Uint8Array(0);
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
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
export function canonicalBytes(fields: SignedFields, version?: SignatureVersion): Uint8Array {
  const text = canonicalMessage(fields, version);
  if (encoder) return encoder.encode(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// ASCII is UTF-8, so where `TextEncoder` exists (Node, browsers, recent Hermes) its native encoder
// gives the same bytes as the loop, several times faster.
const TextEncoderClass = (globalThis as { TextEncoder?: new () => { encode(text: string): Uint8Array } }).TextEncoder;
const encoder = TextEncoderClass ? new TextEncoderClass() : undefined;
