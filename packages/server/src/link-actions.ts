/**
 * The other direction: a signed-in browser links a new phone ("log in on this device too"). The
 * roles swap, the rules do not: the browser's host session (the `authenticate` hook) vouches for
 * the user, the phone's key is what gets registered, and the session is the same record with the
 * same expiry, single use, number matching, rate limits, audit events and push as a login.
 *
 * ```
 * pending ──claim (phone, signed `link`)──▶ scanned ──confirm (page types the phone's code)──▶ confirmed
 *    │                                        ├──reject / wrong code──▶ rejected
 *    └── cancel / ttl ──▶ cancelled / expired        confirmed ──claim again (phone picks up)──▶ redeemed
 * ```
 */
import {
  type CreateSessionResponse,
  type LinkClaimBody,
  type LinkClaimResponse,
  QrLoginError,
  type RejectReason,
  type StatusSnapshot,
} from '@qrlogin/protocol';
import type { AppRequestInfo } from './app-actions.js';
import { authorizeBrowser, type CreateInput, createSession } from './browser-actions.js';
import { type Context, commit, settledSession } from './context.js';
import { checkPublicKey, registerDevice, revokeDevice } from './device-actions.js';
import { rateLimitKeyOf } from './net/ip-group.js';
import { newMatchingCode } from './secrets.js';
import { requireKind } from './session-kind.js';
import { effectiveState, snapshotOf, stateError } from './state-machine.js';
import type { DeviceRecord, SessionRecord } from './store/types.js';
import { checkTimestamp, verifySignature } from './verify-signed.js';

/**
 * `POST /links`: a link session for the user the host's `authenticate` hook named. Same limits and
 * expiry as a login session; its QR says `/link/1/<id>` so apps tell the two apart.
 *
 * @example
 * const created = await createLinkSession(ctx, { ip, userAgent, origin }, user.userId);
 */
export function createLinkSession(ctx: Context, input: CreateInput, userId: string): Promise<CreateSessionResponse> {
  return createSession(ctx, input, { userId });
}

/** What the claiming phone may see: its code while scanned, its device once picked up. */
function claimResponse(ctx: Context, record: SessionRecord): LinkClaimResponse {
  const now = ctx.options.now();
  const state = effectiveState(record, now);
  const response: LinkClaimResponse = {
    sessionId: record.id,
    origin: ctx.options.origin,
    state,
    requester: record.requester,
    expiresAt: record.expiresAt,
    serverTime: now,
    version: record.version,
  };
  if (state === 'scanned' && record.code !== undefined) response.code = record.code;
  if (state === 'redeemed' && record.deviceId !== undefined) {
    response.deviceId = record.deviceId;
    response.userId = record.userId as string;
  }
  if (state === 'rejected' && record.rejectReason !== undefined) response.reason = record.rejectReason;
  return response;
}

/**
 * `POST /links/:id/claim`: the phone signs `link` (session, key, label) with the key it wants
 * registered, proving it holds it. The first claim locks the session to that key and issues the
 * number-matching code (always: a link has no other proof that the person at the page sees the
 * phone). Claiming again with the same key, signed anew, is how the phone learns the outcome; the
 * first claim after the page confirmed picks the device up (`confirmed → redeemed`), and later
 * ones read the same answer, so a lost response costs nothing.
 *
 * @example
 * const answer = await claimLink(ctx, sessionId, parseLinkClaimBody(body), info);
 */
export async function claimLink(
  ctx: Context,
  sessionId: string,
  body: LinkClaimBody,
  info: AppRequestInfo,
): Promise<LinkClaimResponse> {
  await ctx.limit('appPerIp', rateLimitKeyOf(info.ip), info.ip);
  checkPublicKey(body.publicKey);
  checkTimestamp(ctx, body.timestamp);
  const record = await settledSession(ctx, sessionId);
  requireKind(record, 'link');
  await verifySignature(
    ctx,
    body.publicKey,
    { action: 'link', sessionId, publicKey: body.publicKey, text: body.label, timestamp: body.timestamp },
    body.signature,
    { ip: info.ip, deviceId: '' },
  );
  const state = effectiveState(record, ctx.options.now());
  if (record.linkKey === body.publicKey) {
    if (state !== 'confirmed') return claimResponse(ctx, record);
    try {
      return claimResponse(ctx, await commit(ctx, sessionId, () => ({ to: 'redeemed' }), record));
    } catch (error) {
      // Two pick-ups raced (a retry overtaking a slow answer): the other one wrote it; same answer.
      if (!(error instanceof QrLoginError && error.code === 'ALREADY_REDEEMED')) throw error;
      return claimResponse(ctx, await settledSession(ctx, sessionId));
    }
  }
  if (record.linkKey !== undefined && state === 'scanned') {
    throw new QrLoginError('ALREADY_SCANNED', 'another phone already claimed this link');
  }
  if (state !== 'pending') throw stateError('claim', state);
  const next = await commit(
    ctx,
    sessionId,
    (current) => {
      if (current.linkKey !== undefined)
        throw new QrLoginError('ALREADY_SCANNED', 'another phone already claimed this link');
      return {
        to: 'scanned',
        linkKey: body.publicKey,
        linkLabel: body.label,
        code: newMatchingCode(),
        scanIp: info.ip,
      };
    },
    record,
  );
  ctx.events.emit('link-claimed', {
    sessionId,
    userId: record.createdBy as string,
    label: body.label,
    ip: info.ip,
    at: next.updatedAt,
  });
  return claimResponse(ctx, next);
}

/** The page's answer to a claimed link, as the HTTP layer gathered it. */
export interface LinkDecisionInput {
  sessionId: string;
  browserSecret: string;
  /** The user the host's `authenticate` hook names for this request. */
  userId: string;
  /** The code the phone shows, typed on the page (confirm only). */
  code?: string;
  ip: string;
}

/**
 * `POST /links/:id/confirm` and `/reject`: only the page that created the link (its secret), for
 * the user who created it (the host's session, checked again now). The right code registers the
 * claimed key to that user (the usual `device-registered` event) and confirms; a wrong one rejects
 * the link (`code-mismatch`) and registers nothing; one guess per link, as for a login.
 *
 * @example
 * const snapshot = await decideLink(ctx, 'confirm', { sessionId, browserSecret, userId, code, ip });
 */
export async function decideLink(
  ctx: Context,
  decision: 'confirm' | 'reject',
  input: LinkDecisionInput,
): Promise<StatusSnapshot> {
  const record = await authorizeBrowser(ctx, input.sessionId, input.browserSecret);
  requireKind(record, 'link');
  if (record.createdBy !== input.userId) {
    throw new QrLoginError('UNAUTHENTICATED', 'sign in as the user who started this link');
  }
  const state = effectiveState(record, ctx.options.now());
  if (state !== 'scanned') throw stateError(decision, state);
  await ctx.limit('decidePerSession', record.id, input.ip);
  await ctx.limit('decidePerUser', input.userId, input.ip);
  const audit = { sessionId: record.id, userId: input.userId, ip: input.ip };
  // The claim the page saw is the one it answers: a different key must not slip in between.
  const sameClaim = (current: SessionRecord) => {
    if (current.linkKey !== record.linkKey) throw stateError(decision, current.state);
  };
  const reject = async (reason: RejectReason): Promise<SessionRecord> => {
    const next = await commit(
      ctx,
      record.id,
      (current) => {
        sameClaim(current);
        return { to: 'rejected', reason };
      },
      record,
    );
    ctx.events.emit('rejected', { ...audit, reason, at: next.updatedAt });
    return next;
  };
  if (decision === 'reject' || input.code !== record.code) {
    const reason = decision === 'reject' ? 'user' : 'code-mismatch';
    const next = await reject(reason);
    if (reason === 'code-mismatch') {
      throw new QrLoginError('CODE_MISMATCH', 'the code did not match the phone; the link was rejected');
    }
    return snapshotOf(next, ctx.options.now());
  }
  let registered: { device: DeviceRecord; created: boolean };
  try {
    registered = await registerDevice(
      ctx,
      { userId: input.userId, publicKey: record.linkKey as string, label: record.linkLabel as string },
      input.ip,
    );
  } catch (error) {
    // A key that cannot be registered here (another account's: DEVICE_EXISTS; revoked:
    // DEVICE_REVOKED) ends the link with that reason, so the phone polling its claim hears it
    // rather than waiting for the link to expire. Should the link have ended meanwhile, the phone
    // hears that instead; the page still hears why its confirm failed.
    const code = error instanceof QrLoginError ? error.code : undefined;
    if (code === 'DEVICE_EXISTS') await reject('device-exists').catch(() => null);
    if (code === 'DEVICE_REVOKED') await reject('device-revoked').catch(() => null);
    throw error;
  }
  const { device, created } = registered;
  let next: SessionRecord;
  try {
    next = await commit(
      ctx,
      record.id,
      (current) => {
        sameClaim(current);
        return { to: 'confirmed', deviceId: device.id, userId: input.userId };
      },
      record,
    );
  } catch (error) {
    // The link ended (cancel, expiry) between the registration and the confirm: a device nobody
    // confirmed must not stay usable. Best effort; the error that ended it is what the page hears.
    if (created) await revokeDevice(ctx, device.id, 'host').catch(() => {});
    throw error;
  }
  ctx.events.emit('confirmed', { ...audit, deviceId: device.id, at: next.updatedAt });
  return snapshotOf(next, ctx.options.now());
}
