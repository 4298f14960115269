/**
 * The session ledger's server side: record a login at redeem, list a user's logins, and end them,
 * the host's session first (the `endSession` hook), the ledger's record after.
 */
import { isLoginId, type LoginEndReason, QrLoginError } from '@qrlogin/protocol';
import type { Context } from './context.js';
import { newLoginId } from './secrets.js';
import type { LoginRecord, SessionRecord } from './store/types.js';

/** What {@link endLogins} did: the ids it ended, and those whose `endSession` hook failed. */
export interface EndOutcome {
  ended: string[];
  failed: string[];
}

/**
 * Writes the login a redeemed session stands for, before the redemption is handed out: a failure
 * here (store down) leaves the redemption unclaimed, so the host's retry still gets it. The id was
 * drawn with the `redeemed` write, so a retry adds the same login and the ledger refuses it. The
 * `login-recorded` event is the claiming call's (see `announce`), so it fires once even when this
 * write landed for a call that then failed.
 */
export async function recordLogin(ctx: Context, record: SessionRecord): Promise<string> {
  // A session redeemed by an older instance, before the id was kept on the record, gets one now.
  const loginId = record.loginId ?? newLoginId();
  const login: LoginRecord = {
    id: loginId,
    userId: record.userId as string,
    deviceId: record.deviceId as string,
    sessionId: record.id,
    requester: record.requester,
    createdAt: record.updatedAt,
  };
  if (record.receipt) login.receipt = record.receipt;
  const retainUntil = record.updatedAt + ctx.options.loginRetentionSeconds * 1000;
  // `false` is a retry finding its own earlier write: the login is there either way.
  await ctx.options.logins.add(login, retainUntil);
  return loginId;
}

/** A user's logins still retained, ended ones included, newest first. */
export async function listLogins(ctx: Context, userId: string): Promise<LoginRecord[]> {
  if (typeof userId !== 'string' || userId === '') return [];
  return ctx.options.logins.listByUser(userId);
}

/** A login of `userId`, or `LOGIN_NOT_FOUND`, the same answer for another user's login as for none. */
export async function ownLogin(ctx: Context, userId: string, loginId: unknown): Promise<LoginRecord> {
  const login = isLoginId(loginId) ? await ctx.options.logins.get(loginId) : null;
  if (!login || login.userId !== userId) throw new QrLoginError('LOGIN_NOT_FOUND', 'no login of this user has this id');
  return login;
}

/**
 * Ends one login: the host's session first, then the ledger's record. In that order because the
 * ledger is what the phone shows: were the record ended first and the hook then to fail, the user
 * would see "ended" while the browser stays signed in. When the hook throws, nothing is recorded,
 * `hook-error` fires, and the caller gets `END_SESSION_FAILED` to retry (the hook must be
 * idempotent). Returns whether this call ended it (`false`: it had already ended).
 */
export async function endLogin(ctx: Context, login: LoginRecord, reason: LoginEndReason): Promise<boolean> {
  if (login.endedAt !== undefined) return false;
  const hook = ctx.options.endSession;
  if (hook) {
    try {
      await hook(structuredClone(login));
    } catch (error) {
      ctx.events.emit('hook-error', { hook: 'endSession', error });
      throw new QrLoginError('END_SESSION_FAILED', 'the host could not end the session of this login; try again', {
        cause: error,
        retryAfterSeconds: 1,
      });
    }
  }
  const at = ctx.options.now();
  const after = await ctx.options.logins.end(login.id, at, reason);
  if (!after || after.endedAt !== at || after.endReason !== reason) return false;
  ctx.events.emit('login-ended', { loginId: login.id, userId: login.userId, deviceId: login.deviceId, reason, at });
  return true;
}

/**
 * Ends every login given that is still active, each independently: one failing hook does not keep
 * the others alive. The caller decides what a failure means (see {@link throwIfFailed}).
 */
export async function endLogins(ctx: Context, logins: LoginRecord[], reason: LoginEndReason): Promise<EndOutcome> {
  const active = logins.filter((login) => login.endedAt === undefined);
  const results = await Promise.allSettled(active.map((login) => endLogin(ctx, login, reason)));
  const outcome: EndOutcome = { ended: [], failed: [] };
  let storeError: unknown;
  results.forEach((result, i) => {
    const id = (active[i] as LoginRecord).id;
    if (result.status === 'fulfilled') {
      if (result.value) outcome.ended.push(id);
    } else {
      outcome.failed.push(id);
      const error = result.reason;
      if (!(error instanceof QrLoginError && error.code === 'END_SESSION_FAILED')) storeError ??= error;
    }
  });
  // A store failure is not the hook's: it keeps its own code (STORE_UNAVAILABLE), retryable too.
  if (storeError !== undefined) throw storeError;
  return outcome;
}

/** `END_SESSION_FAILED` when some logins could not be ended; the ones that were stay ended. */
export function throwIfFailed(outcome: EndOutcome): void {
  if (outcome.failed.length === 0) return;
  throw new QrLoginError(
    'END_SESSION_FAILED',
    `the host could not end ${outcome.failed.length} of ${outcome.failed.length + outcome.ended.length} sign-ins; try again`,
    { retryAfterSeconds: 1 },
  );
}

/**
 * Which of a user's logins `qr.revokeLogins()` ends.
 *
 * @example
 * // Sign out what Ana's lost tablet approved this week.
 * const input: RevokeLoginsInput = { userId: 'ana', deviceId: tabletId, since: Date.now() - 7 * 86_400_000 };
 */
export interface RevokeLoginsInput {
  userId: string;
  /** Only the logins this device approved. */
  deviceId?: string;
  /** Only logins created at or after this instant (ms since the epoch). */
  since?: number;
}

/** The active logins of a user matching `input`. */
export async function matchingLogins(ctx: Context, input: RevokeLoginsInput): Promise<LoginRecord[]> {
  const logins = await listLogins(ctx, input.userId);
  return logins.filter(
    (login) =>
      login.endedAt === undefined &&
      (input.deviceId === undefined || login.deviceId === input.deviceId) &&
      (input.since === undefined || login.createdAt >= input.since),
  );
}

/** Ends every matching login of a user; returns how many this call ended. */
export async function revokeLoginsOf(
  ctx: Context,
  input: RevokeLoginsInput,
  reason: LoginEndReason = 'host',
): Promise<number> {
  if (typeof input?.userId !== 'string' || input.userId === '') {
    throw new TypeError('revokeLogins: "userId" must be a non-empty string');
  }
  if (input.deviceId !== undefined && typeof input.deviceId !== 'string') {
    throw new TypeError('revokeLogins: "deviceId" must be a string when given');
  }
  if (input.since !== undefined && !Number.isFinite(input.since)) {
    throw new TypeError('revokeLogins: "since" must be ms since the epoch when given');
  }
  const outcome = await endLogins(ctx, await matchingLogins(ctx, input), reason);
  throwIfFailed(outcome);
  return outcome.ended.length;
}

/** Ends one login by id (host side); `false` when there is none or it had already ended. */
export async function revokeLoginById(ctx: Context, loginId: string): Promise<boolean> {
  if (!isLoginId(loginId)) return false;
  const login = await ctx.options.logins.get(loginId);
  return login ? endLogin(ctx, login, 'host') : false;
}
