/**
 * Linked browsers: a browser that signed in before keeps a prompt token, and later asks "send a
 * prompt to my phone" instead of showing a QR to scan. The prompt creates a normal session (same
 * confirm screen, signature, limits and audit as a scan) that only the token's user may answer and
 * that always requires number matching; the host's `promptDevices` hook carries its `qrPayload`
 * to the user's devices.
 */
import { randomBytes } from 'node:crypto';
import { type CreateSessionResponse, isQrLoginError, QrLoginError, type RequesterContext } from '@qrlogin/protocol';
import { type CreateInput, createSession, runHook } from './browser-actions.js';
import type { Context } from './context.js';
import { rateLimitKeyOf } from './net/ip-group.js';
import type { RateLimits } from './options.js';
import { hashSecret } from './secrets.js';
import type { DeviceRecord, SessionRecord } from './store/types.js';
import { warnMisconfigured } from './warn-misconfigured.js';

/** What the host's `promptDevices` hook receives. */
export interface PromptDevicesInput {
  userId: string;
  sessionId: string;
  /** What the app passes to `app.scan()`, exactly as if it had been scanned. */
  qrPayload: string;
  /** The browser asking, for the notification text ("Sign in on Chrome, Windows?"). */
  requester: RequesterContext;
  /** The user's active devices: the ones that may answer. */
  devices: DeviceRecord[];
}

/** Length of a prompt token: 32 random bytes in base64url. */
export const PROMPT_TOKEN_LENGTH = 43;

/** Name of the cookie `qr.promptCookie()` sets and `POST /sessions` with `{ prompt: true }` reads. */
export const PROMPT_COOKIE = 'qrlogin_prompt';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * True when `value` has the shape of a prompt token (checked before any store access).
 *
 * @example
 * isPromptToken('x'.repeat(43)) // true
 */
export function isPromptToken(value: unknown): value is string {
  return typeof value === 'string' && TOKEN_PATTERN.test(value);
}

/** The login a prompt token is minted for: the redemption's. */
export interface PromptTokenLogin {
  userId: string;
  loginId: string;
  redeemedAt: number;
}

/**
 * A new prompt token for the browser of `login`, stored hashed; returned once, like the browser
 * secret. It lives `promptTokenTtlDays`, and never longer than the ledger keeps its login, since a
 * login the ledger forgot can no longer say whether it was ended.
 */
export async function mintPromptToken(
  ctx: Context,
  login: PromptTokenLogin,
): Promise<{ token: string; expiresAt: number }> {
  const token = randomBytes(32).toString('base64url');
  const createdAt = ctx.options.now();
  const expiresAt = Math.min(
    createdAt + Math.round(ctx.options.promptTokenTtlDays * 86_400_000),
    login.redeemedAt + ctx.options.loginRetentionSeconds * 1000,
  );
  const { userId, loginId } = login;
  if (
    !(await ctx.options.linkedBrowsers.add({ tokenHash: hashSecret(token), userId, loginId, createdAt, expiresAt }))
  ) {
    throw new QrLoginError('INTERNAL_ERROR', 'prompt token collision');
  }
  return { token, expiresAt };
}

/** Forgets one linked browser by its token, or every linked browser of a user. Returns how many went. */
export async function forgetBrowser(ctx: Context, input: { token: string } | { userId: string }): Promise<number> {
  const store = ctx.options.linkedBrowsers;
  if ('token' in input) return isPromptToken(input.token) && (await store.remove(hashSecret(input.token))) ? 1 : 0;
  return store.removeByUser(input.userId);
}

/** A prompt limit, refused as `PROMPT_LIMITED` so the page knows to fall back to the QR, not to retry. */
async function promptLimit(ctx: Context, rule: keyof RateLimits, key: string, ip: string): Promise<void> {
  try {
    await ctx.limit(rule, key, ip);
  } catch (error) {
    if (!isQrLoginError(error) || error.code !== 'RATE_LIMITED') throw error;
    throw new QrLoginError('PROMPT_LIMITED', 'too many prompts; scan the QR code instead', {
      retryAfterSeconds: error.retryAfterSeconds,
    });
  }
}

/**
 * Whether the login that minted a token still vouches for its browser (tokens from before carry
 * none: `trusted`). `distrusted`: the user ended it from a phone (End, End all, "this wasn't me")
 * or revoked the device that approved it. A browser that signed out (reason `host`) stays trusted:
 * signing back in with a prompt is what the token is for. A token lives no longer than the ledger
 * keeps its login, so `missing` means a ledger the instances do not share (the memory default
 * behind a shared token store) or rows the host deleted: refused, said once, and the token is
 * kept, since an instance set up wrong must not end it for the others.
 */
async function tokenLogin(ctx: Context, loginId: string | undefined): Promise<'trusted' | 'distrusted' | 'missing'> {
  if (loginId === undefined) return 'trusted';
  const login = await ctx.options.logins.get(loginId);
  if (login !== null) return login.endReason === undefined || login.endReason === 'host' ? 'trusted' : 'distrusted';
  warnMisconfigured(ctx, 'ledger', {
    problem: 'ledger-not-shared',
    option: 'logins',
    message:
      'a linked browser’s login is not in this instance’s ledger, so its prompt was refused: with ' +
      'several instances, share the ledger too (logins: redisLoginLedger(…)) next to linkedBrowsers.',
  });
  return 'missing';
}

const invalid = () =>
  new QrLoginError('PROMPT_INVALID', 'this browser can no longer send prompts (token unknown or expired)');

/**
 * Creates a prompt session for the linked browser holding `token`, then calls `promptDevices` off
 * the request path. Every attempt counts against the per-IP limit (bad tokens included); every
 * accepted one against the user's, whatever the phone does with it later. Refusals create nothing.
 */
export async function promptSession(
  ctx: Context,
  input: CreateInput & { token: unknown },
): Promise<CreateSessionResponse> {
  const hook = ctx.options.promptDevices;
  if (!hook) throw new QrLoginError('INVALID_REQUEST', 'prompts are not enabled on this server (promptDevices option)');
  // A page on a foreign origin is refused by createSession itself, before it could use up anything.
  if (input.origin && !ctx.options.allowedOrigins.has(input.origin)) return createSession(ctx, input);
  await promptLimit(ctx, 'promptPerIp', rateLimitKeyOf(input.ip), input.ip);
  if (!isPromptToken(input.token)) throw invalid();
  // A lookup by hash: the presented token is never compared with a stored one.
  const tokenHash = hashSecret(input.token);
  const linked = await ctx.options.linkedBrowsers.get(tokenHash);
  if (!linked || linked.expiresAt <= ctx.options.now()) throw invalid();
  const [all, login] = await Promise.all([
    ctx.options.devices.listByUser(linked.userId),
    tokenLogin(ctx, linked.loginId),
  ]);
  const devices = all.filter((d) => d.revokedAt === undefined);
  if (devices.length === 0 || login === 'distrusted') {
    // The token dies when the user disowned its login (a browser signed out from the phone must
    // not keep prompting it), and with the last device: nobody is left to prompt, and a user who
    // revoked every device (a stolen phone) starts over with a QR sign-in that links the browser.
    await ctx.options.linkedBrowsers.remove(tokenHash);
    throw invalid();
  }
  if (login === 'missing') throw invalid();
  await promptLimit(ctx, 'promptPerUser', linked.userId, input.ip);
  const created = await createSession(ctx, { ...input, promptUserId: linked.userId });
  // Read back for the requester context the hook shows ("Chrome on Windows"), as the phone will.
  const record = await ctx.options.store.get(created.sessionId);
  if (!record) throw new QrLoginError('STORE_UNAVAILABLE', 'the session just created could not be read');
  const prompt: PromptDevicesInput = {
    userId: linked.userId,
    sessionId: created.sessionId,
    qrPayload: created.qrPayload,
    requester: record.requester,
    devices,
  };
  ctx.events.emit('prompted', {
    sessionId: created.sessionId,
    userId: linked.userId,
    devices: devices.length,
    ip: input.ip,
    at: created.serverTime,
  });
  // Off the request path: a slow push service must not hold the page, and its failure must not
  // undo the session (the QR still works).
  setImmediate(() => void runHook(ctx, 'promptDevices', () => hook(prompt)));
  return { ...created, prompted: true };
}

/**
 * The scan rule of a prompt session: only the prompted user's devices may answer it. Another
 * user's device is refused before anything is locked, so it cannot block the real user either.
 */
export function checkPromptScanner(record: SessionRecord, device: DeviceRecord): void {
  if (record.promptUserId !== undefined && record.promptUserId !== device.userId) {
    throw new QrLoginError('PROMPT_WRONG_USER', 'this sign-in prompt is for another account');
  }
}

/**
 * Reads the prompt token a `POST /sessions` carries: the body's `prompt` string, or with
 * `prompt: true` the HttpOnly cookie `qr.promptCookie()` set. `undefined` for a plain session.
 */
export function promptTokenOf(prompt: unknown, cookieHeader: string | undefined): unknown {
  if (prompt !== true) return prompt;
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === PROMPT_COOKIE) return value.join('=');
  }
  return '';
}

/**
 * The `Set-Cookie` value that hands a prompt token to the page: HttpOnly (no script can read it),
 * limited to the qrlogin routes, `SameSite=Strict`, `Secure` on an https origin.
 */
export function promptCookie(ctx: Context, token: string, expiresAt: number): string {
  const { basePath, origin, now } = ctx.options;
  const maxAge = Math.max(0, Math.floor((expiresAt - now()) / 1000));
  const secure = origin.startsWith('https:') ? '; Secure' : '';
  return `${PROMPT_COOKIE}=${token}; Path=${basePath || '/'}; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}
