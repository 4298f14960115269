/**
 * Evidence-carrying approval, the server's half: at scan the login request's context text and
 * digest are fixed and stored with the scan; at confirm the phone's signed digest must equal the
 * stored one, and the verified confirm is kept as a receipt. A phone that was shown anything else
 * than what the server sent (an altering proxy) is refused, and nothing changes.
 */
import {
  type ConfirmBody,
  contextText,
  type DisplayedContext,
  isQrLoginError,
  type LoginRequest,
  parseContextText,
  QrLoginError,
  SIGNATURE_VERSIONS,
} from '@qrlogin/protocol';
import type { Context } from './context.js';
import { contextDigestOf } from './context-digest.js';
import type { ApprovalReceipt, DeviceRecord, SessionRecord } from './store/types.js';
import { verifySignature } from './verify-signed.js';

/** A confirm body as parsed: an outdated app sends no `contextDigest`. */
export type ParsedConfirmBody = Omit<ConfirmBody, 'contextDigest'> & { contextDigest?: string };

/**
 * The context text and digest of what the confirm screen will show, written with the scan.
 *
 * @example
 * const { context, contextDigest } = scanContext(displayed);
 */
export function scanContext(displayed: DisplayedContext): { context: string; contextDigest: string } {
  const context = contextText(displayed);
  return { context, contextDigest: contextDigestOf(context) };
}

/**
 * The login request a scanned session was sent, rebuilt from its stored context text: the same
 * device scanning again gets the same screen (and so the same digest), even from another network.
 * The challenge, expiry and version come from the record; `serverTime` is now.
 *
 * @example
 * if (record.context) return storedRequest(ctx, record);
 */
export function storedRequest(ctx: Context, record: SessionRecord & { context: string }): LoginRequest {
  return {
    ...parseContextText(record.context),
    challenge: record.challenge as string,
    expiresAt: record.expiresAt,
    serverTime: ctx.options.now(),
    version: record.version,
  };
}

/** What {@link verifyConfirm} checks a confirm against. */
export interface ConfirmCheck {
  record: SessionRecord;
  device: DeviceRecord;
  body: ParsedConfirmBody;
  code: string | undefined;
  ip: string;
}

/**
 * Verifies a confirm's signature and context digest, and returns the receipt to keep. Refuses:
 * - no `contextDigest`: `UNSUPPORTED_VERSION` (an app from before confirm version 3; its version 1
 *   signature, when it verifies, is named as such);
 * - a signature that does not verify over the digest it carries: `SIGNATURE_INVALID`;
 * - a verified digest other than the stored one: `CONTEXT_MISMATCH` and a `context-mismatch` audit
 *   event. Checked after the signature on purpose: the event then records what this device
 *   really signed it was shown, not what an unsigned request claims.
 * Writes nothing: every refusal leaves the session scanned.
 *
 * @example
 * const receipt = await verifyConfirm(ctx, { record, device, body, code, ip });
 */
export async function verifyConfirm(ctx: Context, check: ConfirmCheck): Promise<ApprovalReceipt> {
  const { record, device, body, code, ip } = check;
  const audit = { ip, deviceId: device.id };
  const fields = {
    action: 'confirm' as const,
    sessionId: record.id,
    challenge: record.challenge as string,
    deviceId: device.id,
    timestamp: body.timestamp,
    code,
  };
  if (body.contextDigest === undefined) {
    try {
      // Built with the stored digest, which an outdated app cannot have signed: this only tells its
      // version 1 signature (named as such by the legacy check) from any other.
      await verifySignature(
        ctx,
        device.publicKey,
        { ...fields, contextDigest: record.contextDigest },
        body.signature,
        audit,
      );
    } catch (error) {
      if (isQrLoginError(error) && error.code === 'UNSUPPORTED_VERSION') throw error;
    }
    throw new QrLoginError(
      'UNSUPPORTED_VERSION',
      `a confirm must carry contextDigest and be signed in version ${SIGNATURE_VERSIONS.confirm}: update the app`,
    );
  }
  if (record.context === undefined || record.contextDigest === undefined) {
    // Scanned by a server from before context digests (a rolling upgrade): nothing to compare to.
    throw new QrLoginError('CONTEXT_MISMATCH', 'this session was scanned without a context digest: scan again');
  }
  const signed = { ...fields, contextDigest: body.contextDigest };
  const message = await verifySignature(ctx, device.publicKey, signed, body.signature, audit);
  if (body.contextDigest !== record.contextDigest) {
    ctx.events.emit('context-mismatch', {
      sessionId: record.id,
      deviceId: device.id,
      userId: device.userId,
      ip,
      at: ctx.options.now(),
    });
    throw new QrLoginError(
      'CONTEXT_MISMATCH',
      'the phone confirmed another context than the server sent (altered on the way?): nothing was changed; scan again',
    );
  }
  return {
    message,
    signature: body.signature,
    publicKey: device.publicKey,
    context: record.context,
  };
}
