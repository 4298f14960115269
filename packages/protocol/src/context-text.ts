/**
 * The canonical text of what a confirm screen shows, and its digest. The phone builds it from the
 * login request it received and signs the digest in its confirm (`ctx:` line, version 3); the
 * server builds it from the request it sent and keeps both. A request altered on the way (a proxy,
 * a compromised network path) then yields another digest, and the confirm is refused.
 *
 * One `name:value` line per displayed field, in a fixed order, behind a domain-separation header:
 *
 * ```text
 * qrlogin-context-v1
 * origin:https://example.com
 * sid:V1StGXR8_Z5jdHi6B-myT0
 * ip:MjAzLjAuMTEzLjc
 * ua:TW96aWxsYS81LjA
 * browser:Q2hyb21lIDEzMQ
 * os:V2luZG93cyAxMA
 * page:aHR0cHM6Ly9leGFtcGxlLmNvbQ
 * place:QmVybGluLCBERQ
 * created:1767225600000
 * same-network:false
 * same-place:true
 * distance:near
 * policy:warn
 * code-required:true
 * ```
 *
 * Every requester string is base64url of its UTF-8 (a lone surrogate, which has no UTF-8, is
 * written as its 3-byte generalised form, WTF-8), so no value can break a line. An absent `place`
 * is `-` (base64url of bytes is never one character long) and an unknown `same-place` is empty:
 * different requests never share a text, so one digest stands for exactly one screen.
 */
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import { QrLoginError } from './errors.js';
import { isSessionId } from './ids.js';
import type { LoginRequest, ProximitySignal, RequesterContext } from './messages.js';
import { isCanonicalOrigin } from './origin.js';

/** First line of every context text; names the format and its version. */
export const CONTEXT_TEXT_HEADER = 'qrlogin-context-v1';

/** The parts of a login request the confirm screen shows: what the context text covers. */
export type DisplayedContext = Pick<LoginRequest, 'origin' | 'sessionId' | 'requester' | 'proximity' | 'codeRequired'>;

type Text = keyof Omit<RequesterContext, 'createdAt'>;

// Keyed by every string field of RequesterContext: a field added there fails to compile here until
// it is given a line, so the digest can never silently leave a displayed field out.
const REQUESTER_LINES: Readonly<Record<Text, string>> = {
  ip: 'ip',
  userAgent: 'ua',
  browser: 'browser',
  os: 'os',
  origin: 'page',
  place: 'place',
};
const TEXT_FIELDS = Object.keys(REQUESTER_LINES) as Text[];

// The same for ProximitySignal: its enum lines and their values.
const PROXIMITY_ENUMS: Readonly<
  Record<Exclude<keyof ProximitySignal, 'sameNetwork' | 'samePlace'>, readonly string[]>
> = {
  distance: ['near', 'far', 'unknown'],
  policy: ['off', 'warn', 'deny'],
};
const ENUM_FIELDS = Object.keys(PROXIMITY_ENUMS) as (keyof typeof PROXIMITY_ENUMS)[];

const ABSENT = '-';

function fail(field: string, expected: string): never {
  throw new QrLoginError('INVALID_REQUEST', `context field "${field}" must be ${expected}`);
}

/** UTF-8 of a string; a lone surrogate is written as its own 3-byte sequence (WTF-8), so any two strings differ. */
function wtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.codePointAt(i) as number;
    if (c > 0xffff) i++;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** The inverse of {@link wtf8}; lenient, since a parse is only accepted when its text rebuilds exactly. */
function fromWtf8(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const extra = b >= 0xf0 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : 0;
    let c = extra === 0 ? b : b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) c = (c << 6) | ((bytes[i + k] ?? 0) & 63);
    if (c > 0x10ffff) return '\u0000';
    out += String.fromCodePoint(c);
    i += extra + 1;
  }
  return out;
}

/**
 * Builds the canonical context text of a login request: what its confirm screen shows. Throws
 * `QrLoginError('INVALID_REQUEST')` naming the first field that is missing or malformed.
 *
 * @example
 * const text = contextText(request); // request: the LoginRequest a scan returned
 * const digest = contextDigest(text, nacl.hash);
 */
export function contextText(request: DisplayedContext): string {
  const { requester, proximity } = request;
  if (typeof request.origin !== 'string' || !isCanonicalOrigin(request.origin)) fail('origin', 'a canonical origin');
  if (!isSessionId(request.sessionId)) fail('sessionId', 'a session id');
  if (typeof requester !== 'object' || requester === null) fail('requester', 'an object');
  if (typeof proximity !== 'object' || proximity === null) fail('proximity', 'an object');
  let out = `${CONTEXT_TEXT_HEADER}\norigin:${request.origin}\nsid:${request.sessionId}`;
  for (const name of TEXT_FIELDS) {
    const value = requester[name];
    if (name === 'place' && value === undefined) {
      out += `\nplace:${ABSENT}`;
      continue;
    }
    if (typeof value !== 'string') fail(`requester.${name}`, 'a string');
    out += `\n${REQUESTER_LINES[name]}:${encodeBase64Url(wtf8(value))}`;
  }
  if (!Number.isSafeInteger(requester.createdAt) || requester.createdAt < 0) {
    fail('requester.createdAt', 'a non-negative integer');
  }
  out += `\ncreated:${requester.createdAt}`;
  if (typeof proximity.sameNetwork !== 'boolean') fail('proximity.sameNetwork', 'true or false');
  if (proximity.samePlace !== undefined && typeof proximity.samePlace !== 'boolean') {
    fail('proximity.samePlace', 'true, false or absent');
  }
  out += `\nsame-network:${proximity.sameNetwork}\nsame-place:${proximity.samePlace ?? ''}`;
  for (const name of ENUM_FIELDS) {
    const value = proximity[name];
    if (!PROXIMITY_ENUMS[name].includes(value)) fail(`proximity.${name}`, PROXIMITY_ENUMS[name].join(', '));
    out += `\n${name}:${value}`;
  }
  if (typeof request.codeRequired !== 'boolean') fail('codeRequired', 'true or false');
  return `${out}\ncode-required:${request.codeRequired}`;
}

/**
 * Parses a context text back into the displayed context. Strict: only a text that
 * {@link contextText} writes, byte for byte, is accepted; anything else throws
 * `QrLoginError('INVALID_REQUEST')`.
 *
 * @example
 * const { requester, proximity, codeRequired } = parseContextText(receipt.context);
 */
export function parseContextText(text: string): DisplayedContext {
  const values = new Map<string, string>();
  const lines = typeof text === 'string' ? text.split('\n') : [];
  if (lines[0] !== CONTEXT_TEXT_HEADER) fail('header', CONTEXT_TEXT_HEADER);
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    values.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const get = (line: string): string => values.get(line) ?? fail(line, 'present');
  const flag = (line: string): boolean | undefined => (get(line) === '' ? undefined : get(line) === 'true');
  const requester = { createdAt: Number(get('created')) } as RequesterContext;
  for (const name of TEXT_FIELDS) {
    const value = get(REQUESTER_LINES[name]);
    if (name === 'place' && value === ABSENT) continue;
    const bytes = decodeBase64Url(value) ?? fail(REQUESTER_LINES[name], 'base64url');
    requester[name] = fromWtf8(bytes);
  }
  const proximity = {
    sameNetwork: flag('same-network'),
    ...(get('same-place') === '' ? {} : { samePlace: flag('same-place') }),
    distance: get('distance'),
    policy: get('policy'),
  } as ProximitySignal;
  const parsed: DisplayedContext = {
    origin: get('origin'),
    sessionId: get('sid'),
    requester,
    proximity,
    codeRequired: flag('code-required') as boolean,
  };
  // The one-to-one check: a text is valid exactly when it is what its parse writes.
  let rebuilt = '';
  try {
    rebuilt = contextText(parsed);
  } catch {
    // Falls through to the refusal below with the same message for every malformed text.
  }
  if (rebuilt !== text) fail('text', `a ${CONTEXT_TEXT_HEADER} text as contextText writes it`);
  return parsed;
}

/**
 * The digest of a context text: base64url of the first 32 bytes of its SHA-512 (43 characters, see
 * `isContextDigest`). SHA-512 is passed in so each side uses the one it already has: tweetnacl's
 * `nacl.hash` on the phone (Hermes has no WebCrypto digest), `node:crypto` on the server.
 *
 * @example
 * contextDigest(text, nacl.hash);
 * contextDigest(text, (bytes) => createHash('sha512').update(bytes).digest());
 */
export function contextDigest(text: string, sha512: (bytes: Uint8Array) => Uint8Array): string {
  // The text is ASCII by construction (base64url, digits, fixed words), so its UTF-8 is its char codes.
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return encodeBase64Url(sha512(bytes).subarray(0, 32));
}
