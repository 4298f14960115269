/**
 * Strict shape checks for every JSON body: exact key sets, exact formats. Anything else is
 * `INVALID_REQUEST` before it reaches a service, so malformed input cannot change state.
 */
import {
  DEVICE_LABEL_RULE,
  type FindSessionBody,
  isCode,
  isContextDigest,
  isDeviceId,
  isDeviceLabel,
  isPublicKeyText,
  isShortCode,
  isSignatureText,
  QrLoginError,
  type RegisterDeviceBody,
  type RevokeDeviceBody,
  type ScanBody,
  type SignedBody,
} from '@qrlogin/protocol';
import type { ParsedConfirmBody } from '../confirm-evidence.js';

type Json = Record<string, unknown>;

/** Parses a JSON object body; `''` counts as `{}`. */
export function parseJsonObject(text: string): Json {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new QrLoginError('INVALID_REQUEST', 'the body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new QrLoginError('INVALID_REQUEST', 'the body must be a JSON object');
  }
  return value as Json;
}

/** Refuses a body missing a required key or holding one not listed. */
export function onlyKeys(body: Json, required: readonly string[], optional: readonly string[] = []): void {
  for (const key of required) {
    if (!(key in body)) throw new QrLoginError('INVALID_REQUEST', `missing field "${key}"`);
  }
  for (const key of Object.keys(body)) {
    if (!required.includes(key) && !optional.includes(key)) {
      throw new QrLoginError('INVALID_REQUEST', `unexpected field "${key.slice(0, 40)}"`);
    }
  }
}

/** Refuses a field whose value failed its check, naming what was expected. */
export function field(ok: boolean, name: string, expected: string): void {
  if (!ok) throw new QrLoginError('INVALID_REQUEST', `field "${name}" must be ${expected}`);
}

/** A device timestamp: a non-negative safe integer of ms. */
export function timestampOk(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Validates a `POST /sessions` body: empty, `{}`, or `{ prompt }`. */
export function parseCreateBody(body: Json): { prompt?: unknown } {
  // `prompt`: a linked browser's token, or `true` for the one in its HttpOnly cookie (checked by
  // the prompt service, which answers a bad one with PROMPT_INVALID).
  onlyKeys(body, [], ['prompt']);
  if ('prompt' in body)
    field(body.prompt === true || typeof body.prompt === 'string', 'prompt', 'a prompt token or true');
  return body;
}

/** Checks the three fields every device-signed call carries (not which other keys it has). */
export function checkSignedFields(body: Json): void {
  field(isDeviceId(body.deviceId), 'deviceId', 'a device id');
  field(timestampOk(body.timestamp), 'timestamp', 'an integer of milliseconds since the epoch');
  field(isSignatureText(body.signature), 'signature', 'an 86-character canonical base64url Ed25519 signature');
}

/**
 * Validates a body that is nothing but a device signature (scan, reject, the ledger and device
 * list calls).
 */
export function parseSignedBody(body: Json): SignedBody {
  onlyKeys(body, ['deviceId', 'timestamp', 'signature']);
  checkSignedFields(body);
  return body as unknown as SignedBody;
}

/** Validates a scan body. */
export const parseScanBody: (body: Json) => ScanBody = parseSignedBody;

/**
 * Validates a confirm body (`code` optional). `contextDigest` is left optional here so that an
 * outdated app's body without it is answered `UNSUPPORTED_VERSION`, not a shape error.
 */
export function parseConfirmBody(body: Json): ParsedConfirmBody {
  const { code, contextDigest, ...rest } = body;
  const signed: ParsedConfirmBody = parseScanBody(rest);
  if (contextDigest !== undefined) {
    field(isContextDigest(contextDigest), 'contextDigest', 'a 43-character canonical base64url digest');
    signed.contextDigest = contextDigest as string;
  }
  if (code === undefined) return signed;
  field(isCode(code), 'code', 'two digits');
  return { ...signed, code: code as string };
}

/** Validates a reject body. */
export const parseRejectBody: (body: Json) => ScanBody = parseScanBody;

/** Validates a device registration body. */
export function parseRegisterBody(body: Json): RegisterDeviceBody {
  onlyKeys(body, ['publicKey', 'label', 'timestamp', 'signature']);
  field(isPublicKeyText(body.publicKey), 'publicKey', 'a 43-character canonical base64url Ed25519 public key');
  field(isDeviceLabel(body.label), 'label', DEVICE_LABEL_RULE);
  field(timestampOk(body.timestamp), 'timestamp', 'an integer of milliseconds since the epoch');
  field(isSignatureText(body.signature), 'signature', 'an 86-character canonical base64url Ed25519 signature');
  return body as unknown as RegisterDeviceBody;
}

/** Validates a device self-revocation body. */
export function parseRevokeBody(body: Json): RevokeDeviceBody {
  onlyKeys(body, ['timestamp', 'signature']);
  field(timestampOk(body.timestamp), 'timestamp', 'an integer of milliseconds since the epoch');
  field(isSignatureText(body.signature), 'signature', 'an 86-character canonical base64url Ed25519 signature');
  return body as unknown as RevokeDeviceBody;
}

/** Validates a find-session body: the code must already be canonical (the app normalises what was typed). */
export function parseFindSessionBody(body: Json): FindSessionBody {
  onlyKeys(body, ['deviceId', 'shortCode', 'timestamp', 'signature']);
  field(isDeviceId(body.deviceId), 'deviceId', 'a device id');
  field(isShortCode(body.shortCode), 'shortCode', '8 symbols of the short-code alphabet, upper case, no separators');
  field(timestampOk(body.timestamp), 'timestamp', 'an integer of milliseconds since the epoch');
  field(isSignatureText(body.signature), 'signature', 'an 86-character canonical base64url Ed25519 signature');
  return body as unknown as FindSessionBody;
}
