/**
 * The login request a scan returns: everything the confirm screen shows, plus the two answers the
 * user can give. Built from the server's scan response after checking its shape, so the screen
 * never renders half a request.
 */
import {
  APP_ROUTES,
  type DecisionResponse,
  isChallenge,
  isCode,
  LOGIN_ROUTES,
  type LoginRequest as LoginRequestBody,
  QrLoginError,
  type ReportResponse,
  SESSION_STATES,
} from '@qrlogin/protocol';
import { contextDigestOf } from './context-digest.js';
import type { Signer } from './create-signer.js';
import { checkReport } from './ledger-calls.js';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';

/**
 * A scanned login request: the server's {@link LoginRequestBody} (site origin, requester browser /
 * OS / IP / place / time, proximity, expiry, whether a code must be typed) plus `confirm` and
 * `reject`. Show `requester` and `proximity` to the user before they decide.
 *
 * @example
 * const request = await app.scan(qrText);
 * showConfirmScreen({
 *   site: request.origin,
 *   device: `${request.requester.browser} on ${request.requester.os}`,
 *   where: request.requester.place ?? request.requester.ip,
 *   sameNetwork: request.proximity.sameNetwork,
 *   askForCode: request.codeRequired,
 * });
 * await request.confirm({ code: typedCode });
 */
export interface LoginRequest extends Readonly<LoginRequestBody> {
  /**
   * `expiresAt` moved onto the device clock (via the server's `serverTime`), for a countdown that
   * is right even when the phone's clock is not.
   */
  readonly localExpiresAt: number;
  /**
   * Digest of exactly what this request shows (origin, session, requester, proximity, whether a
   * code is asked), which `confirm` signs: the server refuses the confirm (`CONTEXT_MISMATCH`)
   * when it sent something else, e.g. a network proxy altered the place. Its first characters
   * can be shown as a fingerprint.
   */
  readonly contextDigest: string;
  /**
   * Approves the login. Pass the two digits the browser shows when `codeRequired` is true; a wrong
   * code rejects the session on the server (`CODE_MISMATCH`). Errors: `CODE_REQUIRED` (no code,
   * checked before any network call), `SESSION_EXPIRED`, `INVALID_STATE` (already answered),
   * `DEVICE_REVOKED`, `CODE_MISMATCH`, `CONTEXT_MISMATCH` (what was shown is not what the server
   * sent; nothing changed: scan again), `PROXIMITY_DENIED`, `NETWORK_ERROR`.
   */
  confirm(input?: { code?: string }): Promise<DecisionResponse>;
  /** Refuses the login; the waiting page learns at once. Errors as for `confirm`. */
  reject(): Promise<DecisionResponse>;
  /**
   * "This wasn't me": refuses the login like `reject`, and also ends the sign-ins this device
   * approved in the server's report window and locks new scans for the account for a while
   * (`lockedUntil`; scans meanwhile fail with `SCANS_LOCKED`). Offer it beside Reject on the
   * confirm screen. Errors as for `confirm`, plus `END_SESSION_FAILED` (retry).
   */
  report(): Promise<ReportResponse>;
  /**
   * Drops the request without answering (the user left the screen or scans again): the key read
   * for it is wiped now instead of when it is answered; `confirm` and `reject` then fail with
   * `INVALID_STATE`. An unanswered session simply expires on the server.
   */
  dispose(): void;
  /** The request as plain {@link LoginRequestData} (also what `JSON.stringify(request)` gives). */
  toJSON(): LoginRequestData;
}

/**
 * A login request as plain data (what `toJSON()` returns): safe to put in navigation params or
 * state, and turned back into a working request by {@link QrLoginApp.restore}. Holds no key.
 */
export type LoginRequestData = LoginRequestBody & { readonly localExpiresAt: number };

/** What a login request needs from the app that scanned it. */
export interface LoginRequestContext {
  /** `origin + basePath`. */
  href: string;
  /** The app's origin, the audience of the signatures. */
  audience: string;
  deviceId: string;
  sign: Signer;
  fetch: FetchLike | undefined;
  now: () => number;
  /** Called once the request will sign nothing more (answered, expired, disposed): wipes its key. */
  release: () => void;
}

/** Errors after which the same answer may be sent again; after any other, the request is over. */
const RETRYABLE = new Set(['NETWORK_ERROR', 'RATE_LIMITED']);

function malformed(what: string): QrLoginError {
  return new QrLoginError('INTERNAL_ERROR', `the server's scan response is malformed: ${what}`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Checks the scan response: right session, right site, a usable challenge, the context fields the
 * confirm screen relies on. Throws `INTERNAL_ERROR` naming the first bad field.
 */
function checkBody(answer: unknown, sessionId: string, audience: string): LoginRequestBody {
  if (!isObject(answer)) throw malformed('not an object');
  if (answer.sessionId !== sessionId) throw malformed('sessionId does not match the scanned code');
  if (answer.origin !== audience) throw malformed('origin is not this app’s server');
  if (!isChallenge(answer.challenge)) throw malformed('challenge');
  if (typeof answer.codeRequired !== 'boolean') throw malformed('codeRequired');
  if (!isTime(answer.expiresAt) || !isTime(answer.serverTime) || !isTime(answer.version)) {
    throw malformed('expiresAt / serverTime / version');
  }
  const requester = answer.requester;
  if (
    !isObject(requester) ||
    !['ip', 'userAgent', 'browser', 'os', 'origin'].every((key) => typeof requester[key] === 'string') ||
    !isTime(requester.createdAt) ||
    (requester.place !== undefined && typeof requester.place !== 'string')
  ) {
    throw malformed('requester');
  }
  const proximity = answer.proximity;
  if (!isObject(proximity) || typeof proximity.sameNetwork !== 'boolean') throw malformed('proximity');
  return answer as unknown as LoginRequestBody;
}

/** The digest of what the screen will show; a request it cannot be computed for is malformed. */
function digestOf(body: LoginRequestBody): string {
  try {
    return contextDigestOf(body);
  } catch (error) {
    throw malformed(error instanceof QrLoginError ? error.message : 'context');
  }
}

function checkDecision(answer: unknown, sessionId: string): DecisionResponse {
  const decision = answer as Partial<DecisionResponse> | undefined;
  if (
    !isObject(decision) ||
    decision.sessionId !== sessionId ||
    !SESSION_STATES.includes(decision.state as DecisionResponse['state']) ||
    !isTime(decision.version)
  ) {
    throw new QrLoginError('INTERNAL_ERROR', 'the server answered the decision with a malformed body');
  }
  return decision as DecisionResponse;
}

/**
 * Builds the {@link LoginRequest} for a scan response, or for restored {@link LoginRequestData} with
 * its `restoredExpiresAt` (used by {@link createQrLoginApp}; not part of the package's public
 * surface).
 *
 * @example
 * const request = createLoginRequest(await postJson(scanUrl, body), sessionId, context);
 */
export function createLoginRequest(
  answer: unknown,
  sessionId: string,
  context: LoginRequestContext,
  restoredExpiresAt?: number,
): LoginRequest {
  const body = checkBody(answer, sessionId, context.audience);
  const contextDigest = digestOf(body);
  const receivedAt = context.now();
  // One decision at a time: a double tap must not send confirm twice, or confirm and reject at once.
  let inFlight = false;
  let over: 'answered' | 'expired' | 'disposed' | undefined;
  const localExpiresAt = restoredExpiresAt ?? receivedAt + (body.expiresAt - body.serverTime);
  const finish = (why: NonNullable<typeof over>) => {
    if (over) return;
    over = why;
    context.release();
  };

  const decide = async <T>(action: 'confirm' | 'reject' | 'report', code: string | undefined): Promise<T> => {
    // Checked on the device clock rather than by a timer: Hermes' standalone VM runs every timer at
    // once, and an app that never answers drops the key with dispose().
    if (!over && context.now() >= localExpiresAt) finish('expired');
    if (over === 'expired') throw new QrLoginError('SESSION_EXPIRED', 'this login request has expired: scan again');
    if (over === 'disposed') throw new QrLoginError('INVALID_STATE', 'this login request was put away: scan again');
    if (over) throw new QrLoginError('INVALID_STATE', 'this login request has already been answered');
    if (inFlight) throw new QrLoginError('INVALID_STATE', 'an answer to this login request is already being sent');
    inFlight = true;
    try {
      const timestamp = Math.floor(context.now());
      const fields = {
        action,
        audience: context.audience,
        sessionId,
        challenge: body.challenge,
        deviceId: context.deviceId,
        timestamp,
        ...(code === undefined ? {} : { code }),
      };
      // Confirm signs the digest of what was displayed (version 3); reject and report bind no context.
      const digest = action === 'confirm' ? { contextDigest } : {};
      const signature = await context.sign({ ...fields, ...digest });
      const route = action === 'report' ? LOGIN_ROUTES.report(sessionId) : APP_ROUTES[action](sessionId);
      const payload = {
        deviceId: context.deviceId,
        timestamp,
        signature,
        ...digest,
        ...(code === undefined ? {} : { code }),
      };
      const answer = await postJson(context.href + route, payload, { fetch: context.fetch });
      const decision = action === 'report' ? checkReport(answer) : checkDecision(answer, sessionId);
      finish('answered');
      return decision as T;
    } catch (error) {
      // A refused gate (beforeSign) or a lost connection leaves the request open for another try.
      if (error instanceof QrLoginError && !RETRYABLE.has(error.code)) finish('answered');
      throw error;
    } finally {
      inFlight = false;
    }
  };

  return Object.freeze({
    ...body,
    localExpiresAt,
    contextDigest,
    confirm(input: { code?: string } = {}) {
      let code: string | undefined;
      if (body.codeRequired) {
        code = typeof input.code === 'string' ? input.code.trim() : '';
        if (code === '') {
          return Promise.reject(new QrLoginError('CODE_REQUIRED', 'type the two-digit code the browser shows'));
        }
        if (!isCode(code)) {
          return Promise.reject(new QrLoginError('CODE_REQUIRED', 'the code is the two digits the browser shows'));
        }
      }
      return decide<DecisionResponse>('confirm', code);
    },
    reject() {
      return decide<DecisionResponse>('reject', undefined);
    },
    report() {
      return decide<ReportResponse>('report', undefined);
    },
    dispose() {
      finish('disposed');
    },
    toJSON(): LoginRequestData {
      return { ...body, localExpiresAt };
    },
  });
}
