/**
 * What the phone can do to a session: scan it (lock it to the device and learn who is asking),
 * then confirm or reject it. Every call is signed by a registered, active device key.
 */
import {
  type DecisionResponse,
  type DisplayedContext,
  isQrLoginError,
  type LoginRequest,
  type ProximitySignal,
  QrLoginError,
  type RejectBody,
  type ScanBody,
} from '@qrlogin/protocol';
import { runHook } from './browser-actions.js';
import { type ParsedConfirmBody, scanContext, storedRequest, verifyConfirm } from './confirm-evidence.js';
import { type Context, commit, settledSession } from './context.js';
import { networkOf, rateLimitKeyOf } from './net/ip-group.js';
import { checkPromptScanner } from './prompt-actions.js';
import { refuseLockedScans, scansLockedUntil } from './scan-lock.js';
import { newChallenge, newMatchingCode } from './secrets.js';
import { requireKind } from './session-kind.js';
import { effectiveState, stateError } from './state-machine.js';
import type { ApprovalReceipt, SessionRecord } from './store/types.js';
import { touchDevice } from './touch-device.js';
import { activeDevice, checkTimestamp, verifySignature } from './verify-signed.js';

/**
 * Starts a read whose result is awaited later; until then its failure must not count as an
 * unhandled rejection (an earlier check may throw first and the read is then never awaited).
 */
function prefetch<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}

/** The phone's request as the HTTP layer saw it. */
export interface AppRequestInfo {
  ip: string;
  userAgent: string;
}

async function proximityOf(ctx: Context, record: SessionRecord, info: AppRequestInfo): Promise<ProximitySignal> {
  const policy = ctx.options.proximity;
  // The network comparison is free and always shown; only the place lookup (a host hook, maybe a
  // database read) is skipped when the policy is off.
  const sameNetwork = networkOf(record.requester.ip) === networkOf(info.ip);
  if (policy === 'off') return { sameNetwork, distance: sameNetwork ? 'near' : 'unknown', policy };
  const hook = ctx.options.describeRequester;
  const phonePlace = hook
    ? (await runHook(ctx, 'describeRequester', () => hook(info.ip, info.userAgent)))?.place
    : undefined;
  const browserPlace = record.requester.place;
  const samePlace = phonePlace && browserPlace ? phonePlace === browserPlace : undefined;
  const distance = sameNetwork || samePlace === true ? 'near' : samePlace === false ? 'far' : 'unknown';
  return samePlace === undefined ? { sameNetwork, distance, policy } : { sameNetwork, samePlace, distance, policy };
}

/** What the confirm screen shows; its text and digest are fixed at scan (see confirm-evidence.ts). */
/**
 * Whether the phone must type the browser's code: the server's option, or always for a session the
 * user did not choose to look at (a prompt to their phone), and for one the page offered a short
 * code for (a typed code is the device-code phishing primitive, and the number shown only on the
 * real page is its defence).
 */
function codeRequiredFor(ctx: Context, record: SessionRecord): boolean {
  return ctx.options.numberMatching || record.promptUserId !== undefined || record.shortCode !== undefined;
}

function displayedOf(ctx: Context, record: SessionRecord, proximity: ProximitySignal): DisplayedContext {
  return {
    sessionId: record.id,
    origin: ctx.options.origin,
    requester: record.requester,
    proximity,
    codeRequired: codeRequiredFor(ctx, record),
  };
}

function loginRequest(ctx: Context, record: SessionRecord, proximity: ProximitySignal): LoginRequest {
  return {
    ...displayedOf(ctx, record, proximity),
    challenge: record.challenge as string,
    codeRequired: record.code !== undefined,
    expiresAt: record.expiresAt,
    serverTime: ctx.options.now(),
    version: record.version,
  };
}

/**
 * Scans a session: verifies the device's signature, locks the session to the device and returns
 * the login request for the confirm screen. The same device scanning again gets the same request;
 * another device is refused (`ALREADY_SCANNED`) and reported as `scan-conflict`.
 */
export async function scanSession(
  ctx: Context,
  sessionId: string,
  body: ScanBody,
  info: AppRequestInfo,
): Promise<LoginRequest> {
  await ctx.limit('appPerIp', rateLimitKeyOf(info.ip), info.ip);
  // Both reads go out together (one round trip to a networked store, not two); errors keep their
  // order: the device's first, then the signature's, then the session's.
  const recordRead = prefetch(settledSession(ctx, sessionId));
  const device = await activeDevice(ctx, body.deviceId);
  // The user's scan lock ("this wasn't me") is read while the signature is verified, not after it:
  // its store round trip then overlaps the verification. It is still only acted on below.
  const lockRead = prefetch(scansLockedUntil(ctx, device.userId));
  checkTimestamp(ctx, body.timestamp);
  await verifySignature(
    ctx,
    device.publicKey,
    { action: 'scan', sessionId, deviceId: device.id, timestamp: body.timestamp },
    body.signature,
    { ip: info.ip, deviceId: device.id },
  );
  touchDevice(ctx, device);
  // Counted only once the device has proved itself: device ids are not secret, and unsigned
  // requests (already bounded per IP) must not be able to lock a user's phone out of scanning.
  await ctx.limit('scanPerDevice', device.id, info.ip);
  // After "this wasn't me": refused before the session is read or touched, so it stays pending.
  refuseLockedScans(ctx, await lockRead);
  // A session found past its time is expired (and that pushed and audited) on the way.
  const record = await recordRead;
  requireKind(record, 'login');
  checkPromptScanner(record, device);
  const state = effectiveState(record, ctx.options.now());
  if (state === 'scanned' && record.deviceId === device.id) {
    if (record.context !== undefined) return storedRequest(ctx, { ...record, context: record.context });
    return loginRequest(ctx, record, await proximityOf(ctx, record, info));
  }
  if (state === 'scanned') {
    const at = ctx.options.now();
    ctx.events.emit('scan-conflict', {
      sessionId,
      deviceId: device.id,
      userId: device.userId,
      lockedBy: record.deviceId as string,
      ip: info.ip,
      at,
    });
    if (ctx.options.scanConflict === 'cancel') {
      try {
        const cancelled = await commit(ctx, sessionId, () => ({ to: 'cancelled' }));
        ctx.events.emit('cancelled', { sessionId, ip: info.ip, at: cancelled.updatedAt });
      } catch (error) {
        // The refusal stands either way; a store failure is still worth a log line.
        if (!isQrLoginError(error) || error.code === 'STORE_UNAVAILABLE') {
          ctx.events.emit('internal-error', { action: 'scan-conflict cancel', error });
        }
      }
    }
    throw new QrLoginError('ALREADY_SCANNED', 'another device already scanned this session');
  }
  if (state !== 'pending') throw stateError('scan', state);

  const proximity = await proximityOf(ctx, record, info);
  if (proximity.policy === 'deny' && proximity.distance !== 'near') {
    const next = await commit(ctx, sessionId, () => ({
      to: 'rejected',
      reason: 'proximity',
      deviceId: device.id,
      userId: device.userId,
    }));
    ctx.events.emit('rejected', {
      sessionId,
      deviceId: device.id,
      userId: device.userId,
      reason: 'proximity',
      ip: info.ip,
      at: next.updatedAt,
    });
    throw new QrLoginError('PROXIMITY_DENIED', 'the phone and the browser do not appear to be near each other');
  }
  const evidence = scanContext(displayedOf(ctx, record, proximity));
  const next = await commit(
    ctx,
    sessionId,
    (current) => {
      if (current.state === 'scanned' && current.deviceId !== device.id) {
        throw new QrLoginError('ALREADY_SCANNED', 'another device already scanned this session');
      }
      return {
        to: 'scanned',
        deviceId: device.id,
        userId: device.userId,
        challenge: newChallenge(),
        scanIp: info.ip,
        ...(codeRequiredFor(ctx, current) ? { code: newMatchingCode() } : {}),
        ...evidence,
      };
    },
    record,
  );
  ctx.events.emit('scanned', {
    sessionId,
    deviceId: device.id,
    userId: device.userId,
    sameNetwork: proximity.sameNetwork,
    distance: proximity.distance,
    ip: info.ip,
    at: next.updatedAt,
  });
  return loginRequest(ctx, next, proximity);
}

/**
 * Confirms or rejects a scanned session. The signature must come from the device that scanned
 * (which belongs to the user being signed in) and cover the challenge issued at that scan; the
 * challenge is spent by the state change, so a replayed body finds the session no longer scanned.
 */
export async function decideSession(
  ctx: Context,
  sessionId: string,
  decision: 'confirm' | 'reject',
  body: ParsedConfirmBody | RejectBody,
  info: AppRequestInfo,
): Promise<DecisionResponse> {
  await ctx.limit('appPerIp', rateLimitKeyOf(info.ip), info.ip);
  const recordRead = prefetch(settledSession(ctx, sessionId));
  const device = await activeDevice(ctx, body.deviceId);
  checkTimestamp(ctx, body.timestamp);
  const record = await recordRead;
  requireKind(record, 'login');
  const state = effectiveState(record, ctx.options.now());
  if (state !== 'scanned') throw stateError(decision, state);
  if (record.deviceId !== device.id || record.userId !== device.userId) {
    throw new QrLoginError('DEVICE_FORBIDDEN', `only the device that scanned this session may ${decision} it`);
  }
  const code = 'code' in body ? body.code : undefined;
  // A code is typed only when the login request asked for one; one sent anyway is a client bug,
  // refused before anything is counted or verified, rather than silently signed and ignored.
  if (code !== undefined && (decision !== 'confirm' || record.code === undefined)) {
    throw new QrLoginError('INVALID_REQUEST', 'no code was asked for this session (codeRequired is false): send none');
  }
  await ctx.limit('decidePerSession', sessionId, info.ip);
  await ctx.limit('decidePerUser', device.userId, info.ip);
  let receipt: ApprovalReceipt | undefined;
  if (decision === 'confirm') {
    receipt = await verifyConfirm(ctx, { record, device, body, code, ip: info.ip });
  } else {
    await verifySignature(
      ctx,
      device.publicKey,
      {
        action: decision,
        sessionId,
        challenge: record.challenge as string,
        deviceId: device.id,
        timestamp: body.timestamp,
      },
      body.signature,
      { ip: info.ip, deviceId: device.id },
    );
  }
  touchDevice(ctx, device);
  const audit = { sessionId, deviceId: device.id, userId: device.userId, ip: info.ip };
  let codeMismatch = false;
  const next = await commit(
    ctx,
    sessionId,
    (current) => {
      // The signature covered this challenge; a newer scan (impossible today) must not reuse it.
      if (current.challenge !== record.challenge) throw stateError(decision, current.state);
      if (decision === 'reject') return { to: 'rejected', reason: 'user' };
      if (current.code !== undefined) {
        if (code === undefined) throw new QrLoginError('CODE_REQUIRED', 'type the code shown in the browser');
        if (code !== current.code) {
          codeMismatch = true;
          return { to: 'rejected', reason: 'code-mismatch' };
        }
      }
      return { to: 'confirmed', receipt: receipt as ApprovalReceipt };
    },
    record,
  );
  if (next.state === 'confirmed') {
    ctx.events.emit('confirmed', { ...audit, at: next.updatedAt });
  } else {
    ctx.events.emit('rejected', { ...audit, reason: next.rejectReason ?? 'user', at: next.updatedAt });
  }
  if (codeMismatch) throw new QrLoginError('CODE_MISMATCH', 'the code did not match; the sign-in was rejected');
  return { sessionId, state: next.state, version: next.version };
}
