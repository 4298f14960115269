/**
 * The phone's signed ledger calls: `POST {base}/logins/list`, `/logins/end-all`, `/logins/:id/end`,
 * `/logins/:id/report`, and "this wasn't me" from the confirm screen, `/sessions/:id/report`. Each
 * is signed by an active device and acts only on that device's user: another user's login answers
 * `LOGIN_NOT_FOUND`, exactly like a login that does not exist.
 */
import {
  type EndAllLoginsResponse,
  type EndLoginResponse,
  isLoginId,
  type ListLoginsResponse,
  type LoginView,
  QrLoginError,
  type ReportResponse,
  type SignedAction,
  type SignedBody,
} from '@qrlogin/protocol';
import type { Context } from '../context.js';
import { settledSession } from '../context.js';
import { endLogin, endLogins, listLogins, ownLogin, throwIfFailed } from '../ledger-actions.js';
import { rateLimitKeyOf } from '../net/ip-group.js';
import { reportNotMe } from '../report-not-me.js';
import type { DeviceRecord, LoginRecord } from '../store/types.js';
import { activeDevice, checkTimestamp, verifySignature } from '../verify-signed.js';
import { parseSignedBody } from './validate-body.js';

/** The phone's request as the HTTP layer saw it. */
interface Info {
  ip: string;
}

/** A login as the phone sees it: no user id, no receipt, no user agent beyond browser and OS. */
export function loginView(login: LoginRecord, deviceId: string): LoginView {
  const { browser, os, ip, place } = login.requester;
  const view: LoginView = {
    id: login.id,
    deviceId: login.deviceId,
    requester: place === undefined ? { browser, os, ip } : { browser, os, ip, place },
    createdAt: login.createdAt,
    thisDevice: login.deviceId === deviceId,
  };
  if (login.endedAt !== undefined) view.endedAt = login.endedAt;
  if (login.endReason !== undefined) view.endReason = login.endReason;
  return view;
}

/** Checks a signed ledger call: limits, the device, the clock, the signature. Returns the device. */
async function signedDevice(
  ctx: Context,
  raw: Record<string, unknown>,
  action: SignedAction,
  info: Info,
  fields: { ref?: string; sessionId?: string; challenge?: string } = {},
  ipCounted = false,
): Promise<DeviceRecord> {
  if (!ipCounted) await ctx.limit('appPerIp', rateLimitKeyOf(info.ip), info.ip);
  const body: SignedBody = parseSignedBody(raw);
  const device = await activeDevice(ctx, body.deviceId);
  checkTimestamp(ctx, body.timestamp);
  await verifySignature(
    ctx,
    device.publicKey,
    { action, deviceId: device.id, timestamp: body.timestamp, ...fields },
    body.signature,
    { ip: info.ip, deviceId: device.id },
  );
  // Counted once the device proved itself, so nobody else can spend its budget.
  await ctx.limit('ledgerPerDevice', device.id, info.ip);
  return device;
}

/**
 * `POST {base}/logins/…`. `id` is `list`, `end-all` or a login id; `verb` is `end` or `report`
 * after a login id. Returns the JSON body of the 200 answer.
 */
export async function ledgerRoute(
  ctx: Context,
  id: string | undefined,
  verb: string | undefined,
  readBody: () => Promise<Record<string, unknown>>,
  info: Info,
): Promise<ListLoginsResponse | EndLoginResponse | EndAllLoginsResponse | ReportResponse> {
  if (id === 'list' && verb === undefined) {
    const device = await signedDevice(ctx, await readBody(), 'list-logins', info);
    const logins = await listLogins(ctx, device.userId);
    return { logins: logins.map((login) => loginView(login, device.id)) };
  }
  if (id === 'end-all' && verb === undefined) {
    const device = await signedDevice(ctx, await readBody(), 'end-all-logins', info);
    const outcome = await endLogins(ctx, await listLogins(ctx, device.userId), 'all');
    throwIfFailed(outcome);
    return { ended: outcome.ended.length };
  }
  if (id !== undefined && (verb === 'end' || verb === 'report')) {
    if (!isLoginId(id))
      throw new QrLoginError('INVALID_REQUEST', 'the login id is not well-formed (22 base64url characters)');
    const action = verb === 'end' ? 'end-login' : 'report-login';
    const device = await signedDevice(ctx, await readBody(), action, info, { ref: id });
    if (verb === 'report') {
      const report = await reportNotMe(ctx, { userId: device.userId, loginId: id }, { by: 'device', ip: info.ip });
      return { ended: report.ended.length, lockedUntil: report.lockedUntil };
    }
    const login = await ownLogin(ctx, device.userId, id);
    return { ended: await endLogin(ctx, login, 'user') };
  }
  throw new QrLoginError('NOT_FOUND', 'no such qrlogin route');
}

/**
 * `POST {base}/sessions/:id/report`: "this wasn't me" from the confirm screen, signed like a reject
 * (the challenge of the scan), by the device that scanned.
 */
export async function reportSessionRoute(
  ctx: Context,
  sessionId: string,
  raw: Record<string, unknown>,
  info: Info,
): Promise<ReportResponse> {
  // Counted before the session is read: unsigned requests must not read the store unbounded.
  await ctx.limit('appPerIp', rateLimitKeyOf(info.ip), info.ip);
  const body = parseSignedBody(raw);
  const record = await settledSession(ctx, sessionId);
  if (record.challenge === undefined || record.deviceId !== body.deviceId) {
    throw new QrLoginError('DEVICE_FORBIDDEN', 'only the device that scanned this session may report it');
  }
  const fields = { sessionId, challenge: record.challenge };
  const device = await signedDevice(ctx, raw, 'report', info, fields, true);
  if (record.userId !== device.userId) {
    throw new QrLoginError('DEVICE_FORBIDDEN', 'only the device that scanned this session may report it');
  }
  const report = await reportNotMe(
    ctx,
    { userId: device.userId, deviceId: device.id, sessionId },
    { by: 'device', ip: info.ip },
  );
  return { ended: report.ended.length, lockedUntil: report.lockedUntil };
}
