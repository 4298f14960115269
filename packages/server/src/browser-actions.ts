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
import { rateLimitKeyOf } from './net/ip-group.js';
import { parseUserAgent } from './requester/parse-user-agent.js';
import { hashSecret, newBrowserSecret, newSessionId, secretMatches } from './secrets.js';
import { effectiveState, retainUntil, snapshotOf } from './state-machine.js';
import type { SessionRecord } from './store/types.js';

/** Who is creating the session, as the HTTP layer saw it. */
export interface CreateInput {
  ip: string;
  userAgent: string;
  /** The request's Origin header, `''` when absent. */
  origin: string;
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

/** Creates a session. The only time the browser secret leaves the server. */
export async function createSession(ctx: Context, input: CreateInput): Promise<CreateSessionResponse> {
  const { options } = ctx;
  // The allowlist's own copy of the origin: every session of a site then shares one string.
  const origin = input.origin ? options.allowedOrigins.get(input.origin) : '';
  if (origin === undefined) {
    throw new QrLoginError('FORBIDDEN_ORIGIN', `Origin ${JSON.stringify(input.origin.slice(0, 100))} is not allowed`);
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
  });
  return {
    sessionId: record.id,
    browserSecret,
    qrPayload: formatQrPayload({ origin: options.origin, basePath: options.basePath, sessionId: record.id }),
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
}

/**
 * Moves a confirmed session to `redeemed`, exactly once, and says who signed in. The host then
 * issues a fresh session of its own.
 */
export async function redeemSession(
  ctx: Context,
  input: { sessionId: unknown; browserSecret: unknown; ip?: string },
): Promise<Redemption> {
  const record = await authorizeBrowser(ctx, input.sessionId, input.browserSecret);
  const state = effectiveState(record, ctx.options.now());
  if (state === 'redeemed') throw new QrLoginError('ALREADY_REDEEMED', 'the session was already redeemed');
  const next = await commit(ctx, record.id, () => ({ to: 'redeemed' }), record);
  const redemption: Redemption = {
    sessionId: next.id,
    userId: next.userId as string,
    deviceId: next.deviceId as string,
    requester: next.requester,
    redeemedAt: next.updatedAt,
  };
  const event = { ...redemption, ip: input.ip ?? next.requester.ip, at: next.updatedAt };
  ctx.events.emit('redeemed', event);
  const onLogin = ctx.options.onLogin;
  if (onLogin) void runHook(ctx, 'onLogin', () => onLogin(event));
  return redemption;
}
