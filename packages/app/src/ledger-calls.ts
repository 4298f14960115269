/**
 * The phone's "Where you're signed in": list the account's logins, end one or all, and report one
 * as "this wasn't me". Each call is signed by the device key (borrowed for the call and wiped
 * after), so only a registered, active device of the account can make it.
 */
import {
  type EndAllLoginsResponse,
  type EndLoginResponse,
  isLoginId,
  type ListLoginsResponse,
  LOGIN_ROUTES,
  QrLoginError,
  type ReportResponse,
  type SignedAction,
} from '@qrlogin/protocol';
import { type SignedCallContext, signedCall } from './signed-call.js';

/**
 * The ledger calls of a `QrLoginApp`.
 *
 * @example
 * const active = (await app.listLogins()).filter((login) => login.endedAt === undefined);
 * await app.endLogin(active[0].id);
 */
export interface LedgerCalls {
  /**
   * The account's logins the server still keeps, newest first, ended ones included (`endedAt`):
   * show the active ones under "Where you're signed in" with `thisDevice` marking those this phone
   * approved. Errors: `DEVICE_REVOKED`, `DEVICE_NOT_FOUND`, `TIMESTAMP_SKEW`, `RATE_LIMITED`,
   * `NETWORK_ERROR`.
   */
  listLogins(): Promise<ListLoginsResponse['logins']>;
  /**
   * Signs the browser of one login out (the host ends its session). `false` when it had already
   * ended. Errors: `LOGIN_NOT_FOUND` (no login of this account has that id), `END_SESSION_FAILED`
   * (retry), and those of `listLogins`.
   */
  endLogin(loginId: string): Promise<boolean>;
  /** Signs every browser of the account out; returns how many were ended. Errors as for `endLogin`. */
  endAllLogins(): Promise<number>;
  /**
   * "This wasn't me" about a login: ends it and the other sign-ins its device approved in the
   * server's report window, and locks new scans for the account until `lockedUntil`. Errors as for
   * `endLogin`.
   */
  reportLogin(loginId: string): Promise<ReportResponse>;
}

/** What the ledger calls need from the app. */
export type LedgerCallsContext = SignedCallContext;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function malformed(route: string): QrLoginError {
  return new QrLoginError('INTERNAL_ERROR', `the server answered ${route} with a malformed body`);
}

/**
 * Checks a report answer (`{ ended, lockedUntil }`); used by `request.report()` too.
 *
 * @example
 * const { lockedUntil } = checkReport(await postJson(url, body));
 */
export function checkReport(answer: unknown): ReportResponse {
  if (!isObject(answer) || typeof answer.ended !== 'number' || typeof answer.lockedUntil !== 'number') {
    throw malformed('the report');
  }
  return answer as unknown as ReportResponse;
}

/**
 * Builds the ledger calls for an app (used by `createQrLoginApp`; its methods are the public API).
 *
 * @example
 * const calls = createLedgerCalls({ href, audience, deviceId, source, beforeSign, fetch, now });
 * const logins = await calls.listLogins();
 */
export function createLedgerCalls(context: LedgerCallsContext): LedgerCalls {
  const call = (action: SignedAction, route: string, ref?: string): Promise<unknown> => {
    if (ref !== undefined && !isLoginId(ref)) {
      throw new QrLoginError('INVALID_REQUEST', 'loginId must be a login id from listLogins()');
    }
    return signedCall(context, route, ref === undefined ? { action } : { action, ref });
  };

  return {
    async listLogins() {
      const answer = await call('list-logins', LOGIN_ROUTES.listLogins);
      const logins = isObject(answer) ? answer.logins : undefined;
      if (!Array.isArray(logins) || !logins.every((l) => isObject(l) && isLoginId(l.id) && isObject(l.requester))) {
        throw malformed(LOGIN_ROUTES.listLogins);
      }
      return logins as ListLoginsResponse['logins'];
    },
    async endLogin(loginId) {
      const answer = (await call('end-login', LOGIN_ROUTES.endLogin(loginId), loginId)) as Partial<EndLoginResponse>;
      if (typeof answer?.ended !== 'boolean') throw malformed('end-login');
      return answer.ended;
    },
    async endAllLogins() {
      const answer = (await call('end-all-logins', LOGIN_ROUTES.endAllLogins)) as Partial<EndAllLoginsResponse>;
      if (typeof answer?.ended !== 'number') throw malformed(LOGIN_ROUTES.endAllLogins);
      return answer.ended;
    },
    async reportLogin(loginId) {
      return checkReport(await call('report-login', LOGIN_ROUTES.reportLogin(loginId), loginId));
    },
  };
}
