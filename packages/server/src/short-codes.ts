/**
 * "Can't scan?": a short code the page shows and the user types into the app when no camera can
 * see the QR (a TV, a screen reader, a broken camera). The code only tells the app which session
 * to scan; everything after is the QR path — the same signed scan, confirm screen, requester
 * context and proximity — and number matching is always on for such a session.
 *
 * A code is a guess target, never a secret: 8 symbols of a 30-symbol alphabet (30^8 ≈ 6.6 × 10^11),
 * living only as long as its session, and every lookup counts against the device, its user and its
 * network whether or not the code exists (docs/security.md has the arithmetic).
 */
import { randomInt } from 'node:crypto';
import {
  type FindSessionBody,
  type FindSessionResponse,
  QrLoginError,
  SHORT_CODE_ALPHABET,
  SHORT_CODE_LENGTH,
  type ShortCodeResponse,
} from '@qrlogin/protocol';
import type { AppRequestInfo } from './app-actions.js';
import { authorizeBrowser } from './browser-actions.js';
import { type Context, loadSession, publish } from './context.js';
import { rateLimitKeyOf } from './net/ip-group.js';
import { effectiveState, retainUntil, stateError } from './state-machine.js';
import type { SessionRecord, SessionStore } from './store/types.js';
import { activeDevice, checkTimestamp, verifySignature } from './verify-signed.js';

/** Fresh codes tried before giving up: with N live codes a draw collides with chance N / 30^8. */
const MAX_DRAWS = 5;

/**
 * A new short code, uniform over the alphabet (`crypto.randomInt` has no modulo bias).
 *
 * @example
 * newShortCode() // 'K7M2Q9RT'
 */
export function newShortCode(): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i++) code += SHORT_CODE_ALPHABET[randomInt(SHORT_CODE_ALPHABET.length)];
  return code;
}

type ShortCodeStore = Required<Pick<SessionStore, 'addShortCode' | 'findShortCode'>>;

function shortCodeStore(ctx: Context): ShortCodeStore {
  const { store } = ctx.options;
  if (typeof store.addShortCode !== 'function' || typeof store.findShortCode !== 'function') {
    throw new QrLoginError(
      'NOT_FOUND',
      'short codes are not available: the session store has no addShortCode / findShortCode',
    );
  }
  return store as ShortCodeStore;
}

/**
 * Writes the code into the session record (by compare-and-set, so of two racing requests one code
 * wins and both answer it). The version moves on like any write; the state does not.
 */
async function attach(ctx: Context, first: SessionRecord, code: string): Promise<SessionRecord> {
  let record = first;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (record.shortCode !== undefined) return record;
    const state = effectiveState(record, ctx.options.now());
    if (state !== 'pending') throw stateError('get a short code for', state);
    const next: SessionRecord = { ...record, shortCode: code, version: record.version + 1 };
    if (await ctx.options.store.compareAndSet(next, record.version, retainUntil(next))) {
      await publish(ctx, next);
      return next;
    }
    record = await loadSession(ctx, record.id);
  }
  throw new QrLoginError('INVALID_STATE', 'the session changed too often while this request was being handled');
}

/**
 * `POST {base}/sessions/:id/short-code` (browser secret): the session's short code, made on the
 * first call and the same on every later one. Only a pending session gets one.
 *
 * @example
 * const { shortCode } = await issueShortCode(ctx, sessionId, browserSecret);
 */
export async function issueShortCode(
  ctx: Context,
  sessionId: string,
  browserSecret: string,
): Promise<ShortCodeResponse> {
  const store = shortCodeStore(ctx);
  const record = await authorizeBrowser(ctx, sessionId, browserSecret);
  if (record.shortCode !== undefined) return { shortCode: record.shortCode, expiresAt: record.expiresAt };
  const state = effectiveState(record, ctx.options.now());
  if (state !== 'pending') throw stateError('get a short code for', state);
  for (let draw = 0; draw < MAX_DRAWS; draw++) {
    const code = newShortCode();
    // The mapping lives exactly as long as the session can be scanned: a code never outlives it.
    if (!(await store.addShortCode(code, sessionId, record.expiresAt))) continue;
    const written = await attach(ctx, record, code);
    return { shortCode: written.shortCode as string, expiresAt: written.expiresAt };
  }
  // Five collisions in a row means the code space is nearly full (or the store is broken).
  throw new QrLoginError('INTERNAL_ERROR', 'no free short code was found');
}

/**
 * `POST {base}/find-session` (signed by a device, action `find-session`, `ref` = the code): the id
 * of the pending session a typed code stands for. Every call counts against the network, the
 * device and its user before the lookup, so a wrong code costs a guess like a right one; any code
 * without a pending session behind it is the same `SHORT_CODE_NOT_FOUND`.
 *
 * @example
 * const { sessionId } = await findSessionByCode(ctx, body, { ip, userAgent });
 */
export async function findSessionByCode(
  ctx: Context,
  body: FindSessionBody,
  info: AppRequestInfo,
): Promise<FindSessionResponse> {
  const store = shortCodeStore(ctx);
  const network = rateLimitKeyOf(info.ip);
  await ctx.limit('appPerIp', network, info.ip);
  await ctx.limit('findSessionPerIp', network, info.ip);
  const device = await activeDevice(ctx, body.deviceId);
  checkTimestamp(ctx, body.timestamp);
  await verifySignature(
    ctx,
    device.publicKey,
    { action: 'find-session', deviceId: device.id, ref: body.shortCode, timestamp: body.timestamp },
    body.signature,
    { ip: info.ip, deviceId: device.id },
  );
  await ctx.limit('findSessionPerDevice', device.id, info.ip);
  await ctx.limit('findSessionPerUser', device.userId, info.ip);
  const sessionId = await store.findShortCode(body.shortCode);
  const record = sessionId === null ? null : await ctx.options.store.get(sessionId);
  const state = record ? effectiveState(record, ctx.options.now()) : undefined;
  // The same device typing the code again (a retry after a lost answer) finds its own scan.
  const open = state === 'pending' || (state === 'scanned' && record?.deviceId === device.id);
  if (!record || !open || record.shortCode !== body.shortCode) {
    throw new QrLoginError('SHORT_CODE_NOT_FOUND', 'no pending session has this code: check it and type it again');
  }
  return { sessionId: record.id };
}
