/**
 * What the waiting browser (and the host, for redeem) can do to a session: create it, read or
 * wait for its state, cancel it, redeem it. Everything but creation needs the browser secret.
 */
import {
  type CreateSessionResponse,
  formatQrPayload,
  isBrowserSecret,
  isSessionId,
  QrLoginError,
  type RequesterContext,
  type StatusSnapshot,
} from '@qrlogin/protocol';
import { type Context, commit, loadSession } from './context.js';
import { recordLogin } from './ledger-actions.js';
import { rateLimitKeyOf } from './net/ip-group.js';
import { withPromptToken } from './redeem-prompt-token.js';
import { parseUserAgent } from './requester/parse-user-agent.js';
import { hashSecret, newBrowserSecret, newLoginId, newSessionId, secretMatches } from './secrets.js';
import { requireKind } from './session-kind.js';
import { effectiveState, retainUntil, snapshotOf } from './state-machine.js';
import type { SessionRecord } from './store/types.js';
import { warnMisconfigured } from './warn-misconfigured.js';

/** Who is creating the session, as the HTTP layer saw it. */
export interface CreateInput {
  ip: string;
  userAgent: string;
  /** The request's Origin header, `''` when absent. */
  origin: string;
  /** Set for a linked-browser prompt: only this user's devices may answer the session. */
  promptUserId?: string;
}

/** Runs a host hook, reporting (not propagating) its failure: a broken GeoIP lookup must not stop logins. */
export async function runHook<T>(ctx: Context, hook: string, fn: () => T | Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (error) {
    ctx.events.emit('hook-error', { hook, error });
    return undefined;
  }
}

/**
 * Creates a session. The only time the browser secret leaves the server. With `link`, a link
 * session for the signed-in user it names (docs/protocol.md, "Linking a new phone").
 */
export async function createSession(
  ctx: Context,
  input: CreateInput,
  link?: { userId: string },
): Promise<CreateSessionResponse> {
  const { options } = ctx;
  // The allowlist's own copy of the origin: every session of a site then shares one string.
  const origin = input.origin ? options.allowedOrigins.get(input.origin) : '';
  if (origin === undefined) {
    const quoted = JSON.stringify(input.origin.slice(0, 100));
    warnMisconfigured(ctx, `origin ${quoted}`, {
      problem: 'forbidden-origin',
      option: 'allowedOrigins',
      message:
        `refused to create a session for a page on ${quoted}: if that is your site, add it to the ` +
        `"allowedOrigins" option (default: the "origin" option, ${JSON.stringify(options.origin)})`,
    });
    throw new QrLoginError('FORBIDDEN_ORIGIN', `Origin ${quoted} is not allowed`);
  }
  await ctx.limit('createSession', rateLimitKeyOf(input.ip), input.ip);
  const now = options.now();
  const ua = parseUserAgent(input.userAgent.slice(0, 512));
  const description = options.describeRequester
    ? await runHook(ctx, 'describeRequester', () => options.describeRequester?.(input.ip, ua.userAgent))
    : undefined;
  // Written out field by field (not spread), so the object keeps all its fields in itself.
  const requester: RequesterContext = {
    ip: input.ip,
    userAgent: ua.userAgent,
    browser: ua.browser,
    os: ua.os,
    origin,
    createdAt: now,
  };
  if (typeof description?.place === 'string' && description.place) requester.place = description.place.slice(0, 100);
  const browserSecret = newBrowserSecret();
  const record: SessionRecord = {
    id: newSessionId(),
    secretHash: hashSecret(browserSecret),
    state: 'pending',
    version: 1,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + Math.round(options.sessionTtlSeconds * 1000),
    requester,
  };
  if (input.promptUserId !== undefined) record.promptUserId = input.promptUserId;
  if (link) {
    record.kind = 'link';
    record.createdBy = link.userId;
  }
  if (!(await options.store.create(record, retainUntil(record)))) {
    // 132 random bits colliding means the RNG is broken; refuse rather than share a session.
    throw new QrLoginError('INTERNAL_ERROR', 'session id collision');
  }
  ctx.events.emit('created', {
    sessionId: record.id,
    ip: input.ip,
    userAgent: ua.userAgent,
    origin: input.origin,
    at: now,
    ...(link ? { kind: 'link' as const, userId: link.userId } : {}),
  });
  return {
    sessionId: record.id,
    browserSecret,
    qrPayload: formatQrPayload({
      origin: options.origin,
      basePath: options.basePath,
      sessionId: record.id,
      ...(link ? { kind: 'link' as const } : {}),
    }),
    expiresAt: record.expiresAt,
    serverTime: now,
    version: record.version,
  };
}

/**
 * Reads a session and checks the browser secret in constant time. Malformed ids and secrets are
 * refused before any store access; neither is ever echoed in the message.
 */
export async function authorizeBrowser(
  ctx: Context,
  sessionId: unknown,
  browserSecret: unknown,
): Promise<SessionRecord> {
  if (!isSessionId(sessionId)) throw new QrLoginError('INVALID_REQUEST', 'sessionId must be a 22-character session id');
  const record = await loadSession(ctx, sessionId);
  if (
    typeof browserSecret !== 'string' ||
    !isBrowserSecret(browserSecret) ||
    !secretMatches(browserSecret, record.secretHash)
  ) {
    throw new QrLoginError('INVALID_SECRET', 'the browser secret does not match this session');
  }
  return record;
}

/** The browser's view of the session now. */
export function currentSnapshot(ctx: Context, record: SessionRecord): StatusSnapshot {
  return snapshotOf(record, ctx.options.now());
}

/** Cancels a pending or scanned session (the user closed the page or asked for a new code). */
export async function cancelSession(
  ctx: Context,
  input: { sessionId: string; browserSecret: string; ip: string },
): Promise<StatusSnapshot> {
  const record = await authorizeBrowser(ctx, input.sessionId, input.browserSecret);
  const next = await commit(ctx, record.id, () => ({ to: 'cancelled' }), record);
  ctx.events.emit('cancelled', { sessionId: record.id, ip: input.ip, at: next.updatedAt });
  return snapshotOf(next, ctx.options.now());
}

/** What `redeem()` returns: who signed in, with which device, from where. */
export interface Redemption {
  sessionId: string;
  userId: string;
  deviceId: string;
  requester: RequesterContext;
  redeemedAt: number;
  /**
   * With the `promptDevices` option: a new linked-browser token for this browser, to hand to the
   * page (best as the HttpOnly cookie `qr.promptCookie(redemption)` makes). It lets the browser ask
   * for a prompt on the user's phone later instead of scanning. Absent when prompts are off, or
   * when it could not be stored (the login itself stands).
   */
  promptToken?: string;
  /** When `promptToken` expires (ms since the epoch). */
  promptTokenExpiresAt?: number;
  /**
   * The login this redemption recorded in the ledger. Store it with the session you issue, so the
   * `endSession` hook can end that session when the user ends the login from the phone.
   */
  loginId: string;
}

/**
 * How long after a redemption was written a `redeem()` call with the same browser secret can still
 * take it, provided no call took it before: the retry of a call that was answered 503 while its
 * write landed anyway (a store that timed out, then caught up). Past this, `ALREADY_REDEEMED`.
 * Shorter than the retention of finished sessions (`RETENTION_MS`), so the record is still there.
 *
 * @example
 * import { REDEEM_RETRY_WINDOW_MS } from '@qrlogin/server';
 * // A host that retries a 503 itself keeps its retries well inside the window.
 * const retryDelaysMs = [1_000, 2_000, 4_000].filter((ms) => ms < REDEEM_RETRY_WINDOW_MS);
 */
export const REDEEM_RETRY_WINDOW_MS = 30_000;

/**
 * Moves a confirmed session to `redeemed` and hands the redemption to exactly one caller, who then
 * issues a fresh session of its own. Two writes, each a compare-and-set: `confirmed → redeemed`,
 * then the claim (`claimedAt`). A call whose first write timed out but landed leaves the
 * redemption unclaimed, so the host's retry with the same secret, within
 * {@link REDEEM_RETRY_WINDOW_MS}, gets it instead of `ALREADY_REDEEMED`; once claimed, every other
 * call gets `ALREADY_REDEEMED`. The `redeemed` event and `onLogin` fire for the claiming call only.
 */
export async function redeemSession(
  ctx: Context,
  input: { sessionId: unknown; browserSecret: unknown; ip?: string },
): Promise<Redemption> {
  let record = await authorizeBrowser(ctx, input.sessionId, input.browserSecret);
  // A link is picked up by its phone, never redeemed into a browser session.
  requireKind(record, 'login');
  const state = effectiveState(record, ctx.options.now());
  if (state === 'confirmed' || (state === 'redeemed' && record.claimedAt === undefined)) {
    await requireApproverActive(ctx, record);
  }
  if (state !== 'redeemed') {
    try {
      record = await commit(ctx, record.id, () => ({ to: 'redeemed', loginId: newLoginId() }), record);
    } catch (error) {
      // Another call redeemed it meanwhile: whether this one may take the redemption is decided by
      // the claim, as for a retry.
      if (!(error instanceof QrLoginError && error.code === 'ALREADY_REDEEMED')) throw error;
      record = await loadSession(ctx, record.id);
    }
  }
  return withPromptToken(ctx, await claimRedemption(ctx, record, input.ip));
}

/**
 * A device revoked between its confirm and the redeem must not still sign the browser in: its
 * revocation ended the logins it had approved, and this one would otherwise be recorded after that
 * sweep. One device read per redeem; the session stays as it is and expires.
 */
async function requireApproverActive(ctx: Context, record: SessionRecord): Promise<void> {
  const device = await ctx.options.devices.get(record.deviceId as string);
  if (device === null || device.revokedAt !== undefined) {
    throw new QrLoginError(
      'DEVICE_REVOKED',
      'the device that approved this sign-in was revoked before it was redeemed',
    );
  }
}

/** Takes an unclaimed, recent redemption for this caller (compare-and-set), or refuses. */
async function claimRedemption(ctx: Context, redeemed: SessionRecord, ip: string | undefined): Promise<Redemption> {
  let record = redeemed;
  // A redeemed record only ever changes by its claim: after one lost race it is claimed.
  for (let attempt = 0; attempt < 2; attempt++) {
    const now = ctx.options.now();
    if (
      record.state !== 'redeemed' ||
      record.claimedAt !== undefined ||
      now - record.updatedAt > REDEEM_RETRY_WINDOW_MS
    ) {
      break;
    }
    // Written before the claim: a ledger failure then leaves the redemption for the retry.
    const loginId = await recordLogin(ctx, record);
    const claimed: SessionRecord = { ...record, version: record.version + 1, claimedAt: now, loginId };
    let won: boolean;
    try {
      won = await ctx.options.store.compareAndSet(claimed, record.version, retainUntil(claimed));
    } catch (error) {
      // The redemption is known to be written; only the claim's fate is unknown. Failing now would
      // strand the user whenever the claim landed (every retry would find it taken), so this call
      // takes it: a second success needs another call with this same secret racing this one.
      ctx.events.emit('internal-error', { action: 'claim a redemption', error });
      won = true;
    }
    if (won) return announce(ctx, claimed, ip);
    record = await loadSession(ctx, record.id);
  }
  throw new QrLoginError('ALREADY_REDEEMED', 'the session was already redeemed');
}

/** The redemption of a claimed record, announced once: the `redeemed` event and `onLogin`. */
function announce(ctx: Context, record: SessionRecord, ip: string | undefined): Redemption {
  const redemption: Redemption = {
    sessionId: record.id,
    userId: record.userId as string,
    deviceId: record.deviceId as string,
    requester: record.requester,
    redeemedAt: record.updatedAt,
    loginId: record.loginId as string,
  };
  const event = { ...redemption, ip: ip ?? record.requester.ip, at: record.updatedAt };
  const { loginId, sessionId, userId, deviceId } = redemption;
  ctx.events.emit('login-recorded', { loginId, sessionId, userId, deviceId, at: record.updatedAt });
  ctx.events.emit('redeemed', event);
  const onLogin = ctx.options.onLogin;
  if (onLogin) void runHook(ctx, 'onLogin', () => onLogin(event));
  return redemption;
}
