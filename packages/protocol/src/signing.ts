/**
 * The canonical bytes a device signs. One function builds them for the app and for the server, so
 * the two can never disagree on what a signature covers.
 *
 * The message is ASCII text, one `name:value` field a line, in a fixed order, every field always
 * present (empty when it does not apply), behind a domain-separation header that names the protocol
 * and the message version. Version 1 (scan, reject, revoke; confirm before the context digest):
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
 * Version 3 (every action added after the first release) adds three more lines after `user:`:
 * `ctx:` (the digest of the context the phone displayed), `ref:` (the thing acted on: a login id, a
 * device id, a short code) and `text:` (free text such as a new device label, base64url of its
 * UTF-8). Each action is signed in exactly one version ({@link SIGNATURE_VERSIONS}); the action
 * line domain-separates them, so a signature for one action never verifies as another.
 *
 * Every value is validated against its own strict format before it is written (ids from the
 * base64url alphabet, the audience a bare origin, the timestamp a safe integer), so no value can
 * contain a newline or a colon-smuggled second field: the text parses back to exactly one tuple.
 */

import { encodeBase64Url } from './base64url.js';
import { QrLoginError } from './errors.js';
import {
  isChallenge,
  isCode,
  isContextDigest,
  isDeviceId,
  isDeviceLabel,
  isLoginId,
  isPublicKeyText,
  isSessionId,
  isShortCode,
  MAX_LABEL_LENGTH,
} from './ids.js';
import { isCanonicalOrigin } from './origin.js';

/** Protocol version this library speaks; part of every signed message. */
export const PROTOCOL_VERSION = 1;

/** What a signature authorises. */
export type SignedAction =
  | 'scan'
  | 'confirm'
  | 'reject'
  | 'register'
  | 'revoke'
  | 'report'
  | 'report-login'
  | 'list-logins'
  | 'end-login'
  | 'end-all-logins'
  | 'list-devices'
  | 'rename-device'
  | 'revoke-device'
  | 'find-session'
  | 'link';

/** A version of the signed message; its header line is `qrlogin-signature-v<version>`. */
export type SignatureVersion = 1 | 2 | 3;

/**
 * The message version each action is signed with, and the only one a server accepts for it.
 * `register` is version 2 since it binds the account (`user`); version 1 of it bound only the key
 * and time, so a captured body could be registered first under someone else's account. `confirm`
 * is version 3 since it binds the digest of the context the phone displayed (`ctx`); version 1 of
 * it did not, so an altered confirm screen went unnoticed. Every action added later is version 3.
 *
 * @example
 * SIGNATURE_VERSIONS.register // 2
 */
export const SIGNATURE_VERSIONS: Readonly<Record<SignedAction, SignatureVersion>> = {
  scan: 1,
  confirm: 3,
  reject: 1,
  register: 2,
  revoke: 1,
  report: 3,
  'report-login': 3,
  'list-logins': 3,
  'end-login': 3,
  'end-all-logins': 3,
  'list-devices': 3,
  'rename-device': 3,
  'revoke-device': 3,
  'find-session': 3,
  link: 3,
};

/**
 * The older version an outdated app still signs an action with. A server builds that message only
 * to recognise such an app and refuse it with `UNSUPPORTED_VERSION` instead of `SIGNATURE_INVALID`.
 *
 * @example
 * LEGACY_SIGNATURE_VERSIONS.register // 1
 */
export const LEGACY_SIGNATURE_VERSIONS: Readonly<Partial<Record<SignedAction, SignatureVersion>>> = {
  register: 1,
  confirm: 1,
};

/** Longest account id (`userId`) a registration can bind, in UTF-16 code units. */
export const MAX_USER_ID_LENGTH = 256;

const ACTIONS = Object.keys(SIGNATURE_VERSIONS) as readonly SignedAction[];

/** The fields bound by a signature. Fields that do not apply to an action are left out. */
export interface SignedFields {
  action: SignedAction;
  /** The server's origin (the audience), e.g. `https://example.com`. */
  audience: string;
  /** Session being scanned / confirmed / rejected / reported / linked. */
  sessionId?: string;
  /** The single-use challenge the server issued at scan (confirm, reject, report). */
  challenge?: string;
  /** The signing device (every action but register and link). */
  deviceId?: string;
  /** The public key being registered (register, link). */
  publicKey?: string;
  /**
   * The account the key is registered to (register, version 2): exactly the `userId` the host's
   * `authenticate` hook returns for the signed-in user.
   */
  userId?: string;
  /** Digest of the context the phone displayed (version 3: confirm). */
  contextDigest?: string;
  /**
   * What the action is about (version 3): a login id (end-login, report-login), a device id
   * (rename-device, revoke-device) or a short code (find-session).
   */
  ref?: string;
  /** Free text (version 3): the new label (rename-device) or the label of the key (link). */
  text?: string;
  /** Device clock, milliseconds since the Unix epoch. */
  timestamp: number;
  /** Number-matching code typed on the phone (confirm, when number matching is on). */
  code?: string;
}

type Optional = Exclude<keyof SignedFields, 'action' | 'audience' | 'timestamp'>;

/** One bound field: its line name, the versions that carry the line, its format. */
interface FieldRule {
  line: string;
  since: SignatureVersion;
  valid: (value: unknown, action: SignedAction) => boolean;
  expected: (action: SignedAction) => string;
  /** How the value is written on its line (default: as it is). */
  write?: (value: string) => string;
}

const REF_RULES: Partial<Record<SignedAction, [(value: unknown) => boolean, string]>> = {
  'end-login': [isLoginId, 'a login id'],
  'report-login': [isLoginId, 'a login id'],
  'rename-device': [isDeviceId, 'a device id'],
  'revoke-device': [isDeviceId, 'a device id'],
  'find-session': [isShortCode, 'a short code'],
};

const FIELD_RULES: Readonly<Record<Optional, FieldRule>> = {
  sessionId: { line: 'sid', since: 1, valid: isSessionId, expected: () => 'a session id' },
  challenge: { line: 'chal', since: 1, valid: isChallenge, expected: () => 'a challenge' },
  deviceId: { line: 'dev', since: 1, valid: isDeviceId, expected: () => 'a device id' },
  publicKey: { line: 'key', since: 1, valid: isPublicKeyText, expected: () => 'a base64url Ed25519 public key' },
  userId: {
    line: 'user',
    since: 2,
    valid: isUserId,
    expected: () => `a string of 1–${MAX_USER_ID_LENGTH} characters of well-formed Unicode`,
    write: (value) => encodeBase64Url(utf8Bytes(value)),
  },
  contextDigest: { line: 'ctx', since: 3, valid: isContextDigest, expected: () => 'a context digest' },
  ref: {
    line: 'ref',
    since: 3,
    valid: (value, action) => REF_RULES[action]?.[0](value) ?? false,
    expected: (action) => REF_RULES[action]?.[1] ?? 'absent',
  },
  text: {
    line: 'text',
    since: 3,
    valid: isDeviceLabel,
    expected: () => `a label of 1–${MAX_LABEL_LENGTH} characters`,
    write: (value) => encodeBase64Url(utf8Bytes(value)),
  },
  code: { line: 'code', since: 1, valid: isCode, expected: () => 'two digits' },
};

/** The lines between `aud:` and `ts:`, in order; `code:` comes last, after `ts:`. */
const LINE_ORDER: readonly Optional[] = [
  'sessionId',
  'challenge',
  'deviceId',
  'publicKey',
  'userId',
  'contextDigest',
  'ref',
  'text',
];

/** Which optional fields each action requires; any other optional field must be absent. */
const REQUIRED: Readonly<Record<SignedAction, readonly Optional[]>> = {
  scan: ['sessionId', 'deviceId'],
  confirm: ['sessionId', 'challenge', 'deviceId', 'contextDigest'],
  reject: ['sessionId', 'challenge', 'deviceId'],
  register: ['publicKey', 'userId'],
  revoke: ['deviceId'],
  report: ['sessionId', 'challenge', 'deviceId'],
  'report-login': ['deviceId', 'ref'],
  'list-logins': ['deviceId'],
  'end-login': ['deviceId', 'ref'],
  'end-all-logins': ['deviceId'],
  'list-devices': ['deviceId'],
  'rename-device': ['deviceId', 'ref', 'text'],
  'revoke-device': ['deviceId', 'ref'],
  'find-session': ['deviceId', 'ref'],
  link: ['sessionId', 'publicKey', 'text'],
};

/** Fields an action may carry or leave out (the number-matching code is typed only when asked for). */
const MAY: Readonly<Partial<Record<SignedAction, readonly Optional[]>>> = {
  confirm: ['code'],
};

function fail(field: string, expected: string): never {
  throw new QrLoginError('INVALID_REQUEST', `signed field "${field}" must be ${expected}`);
}

/** The fields an action is signed with in `version`: fields the version has no line for drop out. */
function requiredIn(action: SignedAction, version: SignatureVersion): readonly Optional[] {
  return REQUIRED[action].filter((name) => FIELD_RULES[name].since <= version);
}

/**
 * Builds the canonical text of a signed message, after checking every field's format and that the
 * action has exactly the fields it needs. Throws `QrLoginError('INVALID_REQUEST')` otherwise.
 * `version` defaults to the action's {@link SIGNATURE_VERSIONS} entry; a server builds an action's
 * {@link LEGACY_SIGNATURE_VERSIONS} entry (without the fields that version lacks) only to
 * recognise an outdated app.
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
  const { action } = fields;
  if (!ACTIONS.includes(action)) fail('action', `one of ${ACTIONS.join(', ')}`);
  if (version !== SIGNATURE_VERSIONS[action] && version !== LEGACY_SIGNATURE_VERSIONS[action]) {
    fail('version', `${SIGNATURE_VERSIONS[action]} for action "${action}"`);
  }
  if (!isAudience(fields.audience)) fail('audience', 'a lower-case origin like https://example.com');
  if (!Number.isSafeInteger(fields.timestamp) || fields.timestamp < 0) fail('timestamp', 'a non-negative integer');
  const required = requiredIn(action, version);
  const may = MAY[action] ?? [];
  const line = (name: Optional): string => {
    const rule = FIELD_RULES[name];
    const value = fields[name];
    let text = '';
    if (required.includes(name) || (may.includes(name) && value !== undefined)) {
      if (!rule.valid(value, action)) fail(name, rule.expected(action));
      text = rule.write ? rule.write(value as string) : (value as string);
    } else if (value !== undefined && value !== '') {
      fail(name, `absent for action "${action}"`);
    }
    return `\n${rule.line}:${text}`;
  };
  let out = `qrlogin-signature-v${version}\naction:${action}\naud:${fields.audience}`;
  for (const name of LINE_ORDER) {
    if (FIELD_RULES[name].since <= version) out += line(name);
    else if (fields[name] !== undefined && fields[name] !== '') fail(name, `absent in version ${version}`);
  }
  return `${out}\nts:${fields.timestamp}${line('code')}`;
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
  return messageBytes(canonicalMessage(fields, version));
}

/**
 * The bytes of a canonical message text (ASCII by construction), for a caller that also keeps the
 * text, such as a receipt, and so builds it once.
 *
 * @example
 * const text = canonicalMessage(fields);
 * const ok = verify(messageBytes(text), signature, publicKey);
 */
export function messageBytes(text: string): Uint8Array {
  if (encoder) return encoder.encode(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

// ASCII is UTF-8, so where `TextEncoder` exists (Node, browsers, recent Hermes) its native encoder
// gives the same bytes as the loop, several times faster.
const TextEncoderClass = (globalThis as { TextEncoder?: new () => { encode(text: string): Uint8Array } }).TextEncoder;
const encoder = TextEncoderClass ? new TextEncoderClass() : undefined;
