import type { LoginRecord, QrLogin } from '@qrlogin/server';
import type { AuthContext, StandardSchemaV1 } from 'better-auth';
import { APIError, createAuthEndpoint, sessionMiddleware } from 'better-auth/api';
import { QR_LOGIN_ACCOUNT_PATH } from './paths.js';

/** What the signed-in web user posts to end one of their logins. */
// A type alias, not an interface: better-auth's client only types bodies extending Record<string, any>.
export type EndLoginBody = { loginId: string };

/** A login as the signed-in user's own web page lists it: the ledger record, minus internal ids. */
export type AccountLogin = Pick<
  LoginRecord,
  'id' | 'deviceId' | 'requester' | 'createdAt' | 'endedAt' | 'endReason'
> & {
  /** This very browser's better-auth session came from this login. */
  current: boolean;
};

// Ids are 22 base64url characters; anything longer is refused before a database read.
const MAX_LOGIN_ID_LENGTH = 64;

const endLoginBody: StandardSchemaV1<EndLoginBody> = {
  '~standard': {
    version: 1,
    vendor: 'qrlogin',
    validate(value) {
      const loginId = (value as { loginId?: unknown } | null)?.loginId;
      if (typeof loginId === 'string' && loginId.length > 0 && loginId.length <= MAX_LOGIN_ID_LENGTH) {
        return { value: { loginId } };
      }
      return { issues: [{ message: 'expected { loginId: string }' }] };
    },
  },
};

/** What the endpoints read from the plugin: its qrlogin instance and the login ↔ session link. */
export interface AccountEndpointsDeps {
  qr(context: AuthContext): QrLogin;
  loginOfAuthSession(context: AuthContext, authSessionId: string): Promise<LoginRecord | null>;
}

/**
 * The web side of "where you're signed in", for the user's better-auth session (cookie or bearer)
 * rather than a device signature:
 * - `GET {basePath}/qr-login/account/logins` → `{ logins: AccountLogin[] }`, newest first;
 * - `POST {basePath}/qr-login/account/logins/end` with `{ loginId }` → `{ ended }`: ends one of
 *   the user's own logins (and its better-auth session). Another user's or an unknown id gets
 *   404 `LOGIN_NOT_FOUND`, the same answer, so ids cannot be probed.
 *
 * @example
 * const { data } = await authClient.qrLogin.account.logins();
 * await authClient.qrLogin.account.logins.end({ loginId: data.logins[0].id });
 */
export function qrLoginAccountEndpoints(deps: AccountEndpointsDeps) {
  return {
    qrLoginAccountLogins: createAuthEndpoint(
      `${QR_LOGIN_ACCOUNT_PATH}/logins`,
      { method: 'GET', use: [sessionMiddleware] },
      async (ctx) => {
        const { session, user } = ctx.context.session;
        const current = await deps.loginOfAuthSession(ctx.context, session.id);
        const logins: AccountLogin[] = (await deps.qr(ctx.context).listLogins(user.id)).map((login) => ({
          id: login.id,
          deviceId: login.deviceId,
          requester: login.requester,
          createdAt: login.createdAt,
          ...(login.endedAt !== undefined ? { endedAt: login.endedAt, endReason: login.endReason } : {}),
          current: login.id === current?.id,
        }));
        return ctx.json({ logins });
      },
    ),
    qrLoginAccountEndLogin: createAuthEndpoint(
      `${QR_LOGIN_ACCOUNT_PATH}/logins/end`,
      { method: 'POST', body: endLoginBody, use: [sessionMiddleware] },
      async (ctx) => {
        const qr = deps.qr(ctx.context);
        const { user } = ctx.context.session;
        const mine = (await qr.listLogins(user.id)).find((login) => login.id === ctx.body.loginId);
        if (!mine) {
          const message = 'no such login for this user';
          throw new APIError('NOT_FOUND', {
            code: 'LOGIN_NOT_FOUND',
            message,
            error: { code: 'LOGIN_NOT_FOUND', message },
          });
        }
        const ended = await qr.revokeLogin(mine.id);
        return ctx.json({ ended: Boolean(ended) });
      },
    ),
  };
}
