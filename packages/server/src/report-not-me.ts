/**
 * "This wasn't me" (RFC 10027's detect and remediate): one report rejects the scanned session,
 * locks new scans for the user, ends the logins minted via the reported device in a window, and
 * is audited once.
 */
import { isLoginId, isSessionId, QrLoginError } from '@qrlogin/protocol';
import { type Context, commit, loadSession } from './context.js';
import { endLogins, matchingLogins, ownLogin, throwIfFailed } from './ledger-actions.js';
import { lockScans } from './scan-lock.js';
import { effectiveState } from './state-machine.js';
import type { LoginRecord } from './store/types.js';

/**
 * What a "this wasn't me" report is about. Give what you know; `userId` is required.
 *
 * @example
 * // From the host's own "Where you're signed in" page, about one login:
 * const input: ReportNotMeInput = { userId: 'ana', loginId };
 */
export interface ReportNotMeInput {
  /** The user reporting (whose logins end and whose scans lock). */
  userId: string;
  /** The device the unwanted sign-in went through; its logins in the window end. */
  deviceId?: string;
  /** The session on the confirm screen: rejected when still scanned, its device reported. */
  sessionId?: string;
  /** A login from the ledger: ended, and its device reported. */
  loginId?: string;
}

/**
 * What a report did.
 *
 * @example
 * const { ended, lockedUntil }: NotMeReport = await qr.reportNotMe({ userId: 'ana', loginId });
 */
export interface NotMeReport {
  /** Ids of the logins the report ended. */
  ended: string[];
  /** Until when new scans for the user are refused (`SCANS_LOCKED`), ms since the epoch. */
  lockedUntil: number;
}

/** Who reported and from where, for the audit event. */
export interface ReportOrigin {
  by: 'host' | 'device';
  ip?: string;
}

/**
 * Runs a report. Order matters: the session is rejected and scans are locked before any login is
 * ended, so nothing new can be approved while slow `endSession` hooks run. Logins whose hook fails
 * stay active and are listed as `failed` in the one `reported` event; the call then throws
 * `END_SESSION_FAILED`, and a retry (which extends the lock) ends the rest.
 */
export async function reportNotMe(ctx: Context, input: ReportNotMeInput, from: ReportOrigin): Promise<NotMeReport> {
  const { userId } = input;
  if (typeof userId !== 'string' || userId === '')
    throw new TypeError('reportNotMe: "userId" must be a non-empty string');
  let deviceId = input.deviceId;
  let reported: LoginRecord | undefined;
  if (input.loginId !== undefined) {
    if (!isLoginId(input.loginId)) throw new QrLoginError('INVALID_REQUEST', 'loginId must be a 22-character login id');
    reported = await ownLogin(ctx, userId, input.loginId);
    deviceId ??= reported.deviceId;
  }
  if (input.sessionId !== undefined) {
    if (!isSessionId(input.sessionId)) {
      throw new QrLoginError('INVALID_REQUEST', 'sessionId must be a 22-character session id');
    }
    const record = await loadSession(ctx, input.sessionId);
    // Another user's session answers like none: a report reveals nothing about other accounts.
    if (record.userId !== userId) throw new QrLoginError('SESSION_NOT_FOUND', 'no session of this user has this id');
    deviceId ??= record.deviceId;
    await rejectIfScanned(ctx, input.sessionId, from.ip);
  }
  const at = ctx.options.now();
  const lockedUntil = await lockScans(ctx, userId, at + ctx.options.reportLockSeconds * 1000);
  const logins = await matchingLogins(ctx, {
    userId,
    ...(deviceId !== undefined ? { deviceId } : {}),
    since: at - ctx.options.reportWindowSeconds * 1000,
  });
  // The login reported from the ledger ends even when it is older than the window.
  if (reported && reported.endedAt === undefined && !logins.some((login) => login.id === reported.id)) {
    logins.push(reported);
  }
  const outcome = await endLogins(ctx, logins, 'report');
  ctx.events.emit('reported', {
    userId,
    by: from.by,
    ...(deviceId !== undefined ? { deviceId } : {}),
    ...(input.sessionId !== undefined ? { sessionId: input.sessionId } : {}),
    ...(input.loginId !== undefined ? { loginId: input.loginId } : {}),
    ended: outcome.ended,
    failed: outcome.failed,
    lockedUntil,
    ...(from.ip !== undefined ? { ip: from.ip } : {}),
    at,
  });
  throwIfFailed(outcome);
  return { ended: outcome.ended, lockedUntil };
}

/** Rejects the reported session while it waits on the confirm screen; later states stay as they are. */
async function rejectIfScanned(ctx: Context, sessionId: string, ip: string | undefined): Promise<void> {
  const record = await loadSession(ctx, sessionId);
  if (effectiveState(record, ctx.options.now()) !== 'scanned') return;
  try {
    const next = await commit(ctx, sessionId, () => ({ to: 'rejected', reason: 'user' }), record);
    ctx.events.emit('rejected', {
      sessionId,
      ...(next.deviceId ? { deviceId: next.deviceId } : {}),
      ...(next.userId ? { userId: next.userId } : {}),
      reason: 'user',
      ip: ip ?? '',
      at: next.updatedAt,
    });
  } catch (error) {
    // It moved on meanwhile (confirmed, expired): the rest of the report still applies.
    if (!(error instanceof QrLoginError) || error.code === 'STORE_UNAVAILABLE') throw error;
  }
}
