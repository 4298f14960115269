/**
 * Offline verification of an approval receipt: anyone holding the receipt and the device's public
 * key can check, without the server or its store, that this device signed a version 3 confirm of
 * this session after being shown exactly this context.
 */
import {
  canonicalMessage,
  type DisplayedContext,
  decodeBase64Url,
  isPublicKeyText,
  isSignatureText,
  parseContextText,
  QrLoginError,
  type SignedFields,
} from '@qrlogin/protocol';
import { contextDigestOf } from './context-digest.js';
import { verifyEd25519 } from './crypto/verify-signature.js';
import type { ApprovalReceipt } from './store/types.js';

/** What a verified receipt says: who approved which session, when, after seeing what. */
export interface VerifiedReceipt {
  /** The site the approval was for (the signature's audience). */
  audience: string;
  sessionId: string;
  /** The approving device and the key that verified its signature. */
  deviceId: string;
  publicKey: string;
  /** The single-use challenge the server issued at scan. */
  challenge: string;
  /** Device clock at confirm, ms since the epoch. */
  timestamp: number;
  /** The number-matching code the user typed, when one was asked for. */
  code?: string;
  /** The digest the device signed (the `ctx` line). */
  contextDigest: string;
  /** The confirm screen it stands for: requester, proximity, whether a code was asked. */
  context: DisplayedContext;
}

function refuse(code: 'INVALID_REQUEST' | 'CONTEXT_MISMATCH' | 'SIGNATURE_INVALID', message: string): never {
  throw new QrLoginError(code, `receipt: ${message}`);
}

/** The confirm fields of a receipt's message; only a text that canonicalMessage writes back exactly passes. */
function confirmFields(message: string): Omit<SignedFields, 'audience'> & { audience: string; contextDigest: string } {
  const lines = message.split('\n');
  // The version 3 line layout (signing.ts): header, action, aud, sid, chal, dev, key, user, ctx, ref, text, ts, code.
  const value = (i: number, prefix: string) =>
    lines[i]?.startsWith(prefix)
      ? (lines[i] as string).slice(prefix.length)
      : refuse('INVALID_REQUEST', 'the message is not a version 3 confirm');
  if (lines[0] !== 'qrlogin-signature-v3' || lines[1] !== 'action:confirm') {
    refuse('INVALID_REQUEST', 'the message is not a version 3 confirm');
  }
  const code = value(12, 'code:');
  const fields = {
    action: 'confirm' as const,
    audience: value(2, 'aud:'),
    sessionId: value(3, 'sid:'),
    challenge: value(4, 'chal:'),
    deviceId: value(5, 'dev:'),
    contextDigest: value(8, 'ctx:'),
    timestamp: Number(value(11, 'ts:')),
    ...(code === '' ? {} : { code }),
  };
  let rebuilt = '';
  try {
    rebuilt = canonicalMessage(fields);
  } catch {
    // Refused just below, with the same message for every malformed field.
  }
  if (rebuilt !== message) refuse('INVALID_REQUEST', 'the message is not a canonical version 3 confirm');
  return fields;
}

/**
 * Verifies an {@link ApprovalReceipt} offline and returns what it proves. Checks, in order: its
 * shape; that `message` is a canonical version 3 confirm; that `context` is a canonical context
 * text of the same site and session; that the message's `ctx` line is that text's digest; that the
 * key is the one given (when given); and the Ed25519 signature (strict RFC 8032, as at confirm).
 * Pure: no store, no network, no clock. Pass the device's public key from your own records: a
 * receipt alone only proves it is consistent with the key it names.
 *
 * Throws `QrLoginError` naming the failed check: `INVALID_REQUEST` (shape, message, context,
 * another key), `CONTEXT_MISMATCH` (digest), `SIGNATURE_INVALID` (signature).
 *
 * @example
 * import { verifyReceipt } from '@qrlogin/server';
 * const { sessionId, deviceId, timestamp, context } = await verifyReceipt(login.receipt, device.publicKey);
 * console.log(`${deviceId} approved ${context.requester.browser} in ${context.requester.place}`);
 */
export async function verifyReceipt(receipt: ApprovalReceipt, publicKey?: string): Promise<VerifiedReceipt> {
  const r = (typeof receipt === 'object' && receipt !== null ? receipt : {}) as Partial<
    Record<keyof ApprovalReceipt, unknown>
  >;
  if (typeof r.message !== 'string' || typeof r.context !== 'string') {
    refuse('INVALID_REQUEST', 'message and context must be strings');
  }
  if (!isSignatureText(r.signature)) refuse('INVALID_REQUEST', 'signature must be an 86-character base64url signature');
  if (!isPublicKeyText(r.publicKey)) refuse('INVALID_REQUEST', 'publicKey must be a 43-character base64url key');
  const fields = confirmFields(r.message);
  let context: DisplayedContext;
  try {
    context = parseContextText(r.context);
  } catch {
    refuse('INVALID_REQUEST', 'context is not a canonical qrlogin-context-v1 text');
  }
  if (context.sessionId !== fields.sessionId || context.origin !== fields.audience) {
    refuse('CONTEXT_MISMATCH', 'the context is of another session or site than the message');
  }
  if (contextDigestOf(r.context) !== fields.contextDigest) {
    refuse('CONTEXT_MISMATCH', 'the message signs the digest of another context');
  }
  if (publicKey !== undefined && publicKey !== r.publicKey) {
    refuse('INVALID_REQUEST', 'it names another public key than the one given');
  }
  const bytes = new TextEncoder().encode(r.message);
  if (!(await verifyEd25519(r.publicKey, bytes, decodeBase64Url(r.signature) as Uint8Array))) {
    refuse('SIGNATURE_INVALID', 'the signature does not verify with the public key');
  }
  const { action: _, ...rest } = fields;
  return {
    ...rest,
    deviceId: rest.deviceId as string,
    sessionId: rest.sessionId as string,
    challenge: rest.challenge as string,
    publicKey: r.publicKey,
    context,
  };
}
