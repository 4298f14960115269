import {
  createQrLogin,
  httpStatusOf,
  isQrLoginError,
  type QrLogin,
  QrLoginError,
  type QrLoginOptions,
} from '@qrlogin/server';
import { type AuthContext, type BetterAuthPlugin, HIDE_METADATA } from 'better-auth';
import { APIError, createAuthEndpoint, getIP, getSessionFromCtx } from 'better-auth/api';
import { setSessionCookie } from 'better-auth/cookies';
import { betterAuthDeviceStore } from './better-auth-device-store.js';
import { betterAuthLoginLedger } from './better-auth-login-ledger.js';
import { endBetterAuthSession, endLoginOfDeletedSession } from './end-better-auth-session.js';
import { QR_LOGIN_PATH } from './paths.js';
import { qrLoginAccountEndpoints } from './qr-login-account-endpoints.js';
import { redeemBody } from './redeem-body.js';
import { qrLoginSchema } from './schema.js';

export { QR_LOGIN_PATH } from './paths.js';

/**
 * Options of {@link qrLogin}: qrlogin's own options, minus what better-auth provides (where the
 * routes are mounted, where devices and logins live, who is signed in, how a login's session ends).
 */
export interface QrLoginPluginOptions
  extends Omit<QrLoginOptions, 'origin' | 'basePath' | 'devices' | 'authenticate' | 'logins' | 'endSession'> {
  /**
   * The site's origin: audience of every device signature and base of the QR URL.
   * @default the origin of better-auth's `baseURL`
   */
  origin?: string;
  /**
   * Where qrlogin's login sessions live. They are never put on better-auth's `secondaryStorage`:
   * its `get` / `set` / `delete` cannot compare-and-set, and qrlogin needs every state change to
   * be atomic across instances (two instances racing on one session must produce one outcome).
   * So with `secondaryStorage` configured (a sign of several instances) this option is required:
   * `redisStore({ client })` from `@qrlogin/redis` for many instances, or `memoryStore()` to say
   * plainly that one process serves every request.
   * @default memoryStore() — only when better-auth has no `secondaryStorage`
   */
  store?: QrLoginOptions['store'];
}

/** What the plugin keeps for `attachQrLogin`: the qrlogin instance, built on first use. */
interface QrLoginPluginInternals {
  /** The qrlogin instance serving this better-auth instance. */
  instance(context: AuthContext): QrLogin;
}

/** The better-auth plugin `qrLogin()` returns. */
export type QrLoginPlugin = ReturnType<typeof qrLogin>;

// Kept beside the plugin object rather than on it: better-auth owns the plugin's shape.
const pluginInternals = new WeakMap<object, QrLoginPluginInternals>();

/**
 * The qrlogin instance behind a `qrLogin()` plugin in this better-auth context, or `undefined`
 * when the plugin is not installed.
 *
 * @example
 * const qr = qrLoginInstance(await auth.$context);
 * qr?.events.on('redeemed', (login) => console.log(login.userId));
 */
export function qrLoginInstance(context: Pick<AuthContext, 'options'>): QrLogin | undefined {
  const plugin = context.options.plugins?.find((p) => p.id === 'qr-login');
  // Any app's context: typed by that app's own options, it is an AuthContext all the same.
  return plugin ? pluginInternals.get(plugin)?.instance(context as AuthContext) : undefined;
}

/**
 * A qrlogin error as better-auth's `APIError`, with both bodies in one: `{ code, message }` for
 * better-auth's client (`error.code`), `{ error: { code, message } }` for qrlogin's element.
 */
function apiError(error: QrLoginError): APIError {
  const { code, message } = error;
  // Every status in qrlogin's error table is a standard one better-call knows by number.
  const status = httpStatusOf(code) as ConstructorParameters<typeof APIError>[0];
  return new APIError(status, { code, message, error: { code, message } });
}

/**
 * QR login for better-auth: the browser shows a code, the user's signed-in app scans and confirms
 * it, and the browser gets a **new** better-auth session of its own (better-auth's cookie, session
 * table and hooks), independent of the phone's.
 *
 * - qrlogin's routes are served by better-auth's handler under `{basePath}/qr-login` (e.g.
 *   `/api/auth/qr-login/sessions`); the WebSocket push needs {@link attachQrLogin} on a Node server.
 * - `POST {basePath}/qr-login/redeem` with `{ sessionId, browserSecret }` signs the browser in:
 *   point `<qr-login redeem-url>` at it, or call `authClient.qrLogin.redeem()`.
 * - Device registration is authenticated by the app's better-auth session (cookie, or bearer with
 *   the `bearer()` plugin, as `@better-auth/expo` sends it); devices live in the `qrloginDevice`
 *   table, migrated by better-auth's CLI.
 *
 * @example
 * import { betterAuth } from 'better-auth';
 * import { qrLogin } from '@qrlogin/better-auth';
 *
 * export const auth = betterAuth({
 *   database: new Database('auth.db'),
 *   baseURL: 'https://example.com',
 *   emailAndPassword: { enabled: true },
 *   plugins: [qrLogin()],
 * });
 */
export function qrLogin(options: QrLoginPluginOptions = {}) {
  if (!options || typeof options !== 'object') throw new TypeError('qrLogin: options must be an object');
  for (const name of ['basePath', 'devices', 'authenticate', 'logins', 'endSession'] as const) {
    if (name in options) {
      throw new TypeError(`qrLogin: option "${name}" is better-auth's to decide (base path, database, session)`);
    }
  }
  let built: { qr: QrLogin; logins: ReturnType<typeof betterAuthLoginLedger> } | undefined;
  // Who signed in, per device-registration request: the endpoint asks better-auth, qrlogin's
  // `authenticate` hook reads the answer for the very same Request object.
  const signedIn = new WeakMap<Request, string | null>();
  // better-auth session ids the plugin is deleting itself (ending a login), for the sign-out hook.
  const ending = new Set<string>();

  const build = (context: AuthContext) => {
    if (built) return built;
    const baseURL = context.baseURL ? new URL(context.baseURL) : null;
    const origin = options.origin ?? baseURL?.origin;
    if (!origin) {
      throw new TypeError('qrLogin: option "origin" is required when better-auth has no static baseURL');
    }
    const authPath = (baseURL?.pathname ?? context.options.basePath ?? '/api/auth').replace(/\/+$/, '');
    const logins = betterAuthLoginLedger(context.adapter);
    const qr = createQrLogin({
      ...options,
      origin,
      basePath: authPath + QR_LOGIN_PATH,
      devices: betterAuthDeviceStore(context.adapter),
      // Ending a login from the phone ends the better-auth session its redeem created.
      logins,
      endSession: (login) => endBetterAuthSession(context, logins, login, ending),
      authenticate: (request) => {
        const userId = signedIn.get(request);
        return userId ? { userId } : null;
      },
    });
    built = { qr, logins };
    return built;
  };
  const instance = (context: AuthContext): QrLogin => build(context).qr;

  // Every qrlogin route is one better-auth endpoint that hands the untouched Request to qrlogin's
  // Web core (`disableBody`, so the body stream is still unread), which answers in qrlogin's own
  // wire format: the browser and app packages speak it, and better-auth's rate limiter, origin
  // check and hooks still run first.
  const forward = <Path extends string>(
    path: Path,
    method: 'GET' | 'POST' | ('GET' | 'POST' | 'PATCH' | 'DELETE')[],
    // Routes whose user is the better-auth session: registration, the web side of device management,
    // and linking a new phone from a signed-in page (create, confirm, reject; the phone's claim is
    // signed and needs none).
    session = false,
  ) =>
    createAuthEndpoint(path, { method, disableBody: true, metadata: HIDE_METADATA }, async (ctx) => {
      if (!ctx.request) throw new TypeError(`qrLogin: ${path} is served over HTTP only`);
      if (session) {
        const session = await getSessionFromCtx(ctx);
        signedIn.set(ctx.request, session?.user.id ?? null);
      }
      const ip = getIP(ctx.request, ctx.context.options) ?? undefined;
      return instance(ctx.context).fetch(ctx.request, { remoteAddress: ip });
    });

  const plugin = {
    id: 'qr-login',
    schema: qrLoginSchema,
    init(context) {
      if (context.secondaryStorage && !options.store) {
        throw new TypeError(
          'qrLogin: better-auth has secondaryStorage, so this may be one of several instances; qrlogin needs a ' +
            'compare-and-set store there: pass store: redisStore({ client }) (with bus: redisBus(...)) from ' +
            '@qrlogin/redis, or store: memoryStore() if one process serves every request',
        );
      }
      // A QR-created session deleted by better-auth itself (sign-out, revokeSession…) ends its login.
      const after = (session: { id: string }) => endLoginOfDeletedSession(session.id, () => build(context), ending);
      return { options: { databaseHooks: { session: { delete: { after } } } } };
    },
    endpoints: {
      qrLoginCreateSession: forward(`${QR_LOGIN_PATH}/sessions`, 'POST'),
      qrLoginSession: forward(`${QR_LOGIN_PATH}/sessions/:sessionId`, ['GET', 'DELETE']),
      qrLoginScan: forward(`${QR_LOGIN_PATH}/sessions/:sessionId/scan`, 'POST'),
      qrLoginConfirm: forward(`${QR_LOGIN_PATH}/sessions/:sessionId/confirm`, 'POST'),
      qrLoginReject: forward(`${QR_LOGIN_PATH}/sessions/:sessionId/reject`, 'POST'),
      qrLoginShortCode: forward(`${QR_LOGIN_PATH}/sessions/:sessionId/short-code`, 'POST'),
      qrLoginFindSession: forward(`${QR_LOGIN_PATH}/find-session`, 'POST'),
      // POST registers a device; GET lists the signed-in user's devices (web side).
      qrLoginRegisterDevice: forward(`${QR_LOGIN_PATH}/devices`, ['GET', 'POST'], true),
      qrLoginRevokeDevice: forward(`${QR_LOGIN_PATH}/devices/:deviceId/revoke`, 'POST'),
      qrLoginListDevices: forward(`${QR_LOGIN_PATH}/devices/list`, 'POST'),
      qrLoginRenameDevice: forward(`${QR_LOGIN_PATH}/devices/:deviceId/rename`, 'POST'),
      qrLoginRevokeUserDevice: forward(`${QR_LOGIN_PATH}/devices/:deviceId/revoke-device`, 'POST'),
      qrLoginManageDevice: forward(`${QR_LOGIN_PATH}/devices/:deviceId`, ['PATCH', 'DELETE'], true),
      qrLoginCodePage: forward(`${QR_LOGIN_PATH}/q/:version/:sessionId`, 'GET'),
      qrLoginCreateLink: forward(`${QR_LOGIN_PATH}/links`, 'POST', true),
      qrLoginClaimLink: forward(`${QR_LOGIN_PATH}/links/:sessionId/claim`, 'POST'),
      qrLoginConfirmLink: forward(`${QR_LOGIN_PATH}/links/:sessionId/confirm`, 'POST', true),
      qrLoginRejectLink: forward(`${QR_LOGIN_PATH}/links/:sessionId/reject`, 'POST', true),
      qrLoginLinkCodePage: forward(`${QR_LOGIN_PATH}/link/:version/:sessionId`, 'GET'),
      qrLoginListLogins: forward(`${QR_LOGIN_PATH}/logins/list`, 'POST'),
      qrLoginEndLogin: forward(`${QR_LOGIN_PATH}/logins/:loginId/end`, 'POST'),
      qrLoginEndAllLogins: forward(`${QR_LOGIN_PATH}/logins/end-all`, 'POST'),
      qrLoginReportLogin: forward(`${QR_LOGIN_PATH}/logins/:loginId/report`, 'POST'),
      qrLoginReport: forward(`${QR_LOGIN_PATH}/sessions/:sessionId/report`, 'POST'),
      ...qrLoginAccountEndpoints({
        qr: instance,
        loginOfAuthSession: (context, id) => build(context).logins.loginOfAuthSession(id),
      }),
      /**
       * `POST {basePath}/qr-login/redeem` with `{ sessionId, browserSecret }`: redeems a
       * confirmed qrlogin session once and signs this browser in with a new better-auth session.
       */
      redeemQrLogin: createAuthEndpoint(
        `${QR_LOGIN_PATH}/redeem`,
        { method: 'POST', body: redeemBody },
        async (ctx) => {
          let redemption: Awaited<ReturnType<QrLogin['redeem']>>;
          try {
            redemption = await instance(ctx.context).redeem(ctx.body);
          } catch (error) {
            if (isQrLoginError(error)) throw apiError(error);
            throw error;
          }
          const user = await ctx.context.internalAdapter.findUserById(redemption.userId);
          // The device's owner was deleted between confirm and redeem: nobody to sign in.
          if (!user) throw apiError(new QrLoginError('UNAUTHENTICATED', 'the approving user no longer exists'));
          // A new row in better-auth's session table (its databaseHooks run), never the phone's session.
          const session = await ctx.context.internalAdapter.createSession(user.id);
          const { logins } = build(ctx.context);
          await logins.linkAuthSession(redemption.loginId, session.id);
          // Ended from the phone between the ledger write and the link: that end found no session
          // to delete, so this one must not outlive it.
          if ((await logins.get(redemption.loginId))?.endedAt !== undefined) {
            await ctx.context.internalAdapter.deleteSession(session.token);
            throw apiError(new QrLoginError('UNAUTHENTICATED', 'this login was ended from the phone'));
          }
          await setSessionCookie(ctx, { session, user });
          return ctx.json({ token: session.token, user, deviceId: redemption.deviceId, loginId: redemption.loginId });
        },
      ),
    },
  } satisfies BetterAuthPlugin;
  pluginInternals.set(plugin, { instance });
  return plugin;
}
