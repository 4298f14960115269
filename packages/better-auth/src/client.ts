/**
 * @module @qrlogin/better-auth/client
 *
 * The client half of the plugin, for `createAuthClient({ plugins: [qrLoginClient()] })`:
 * `authClient.qrLogin.redeem()` on the web (or `<qr-login redeem-url="/api/auth/qr-login/redeem">`),
 * and on the phone device registration authenticated by the app's better-auth session plus
 * `@qrlogin/app`'s signed scan / confirm / reject.
 *
 * @example
 * import { createAuthClient } from 'better-auth/client';
 * import { qrLoginClient } from '@qrlogin/better-auth/client';
 * export const authClient = createAuthClient({ baseURL: 'https://example.com', plugins: [qrLoginClient()] });
 */
import {
  createQrLoginApp,
  type FetchLike,
  type QrLoginApp,
  type QrLoginAppOptions,
  type RegisterDeviceOptions,
  registerDevice,
} from '@qrlogin/app';
import type { BetterAuthClientPlugin } from 'better-auth/client';
import type { QrLoginPlugin } from './qr-login.js';

const QR_LOGIN_PATH = '/qr-login';

/**
 * Options of `authClient.qrLogin.registerDevice()`: `@qrlogin/app`'s, minus what the client knows.
 * `userId` (signed into the registration) defaults to the user of the app's better-auth session.
 */
export type QrLoginClientRegisterOptions = Omit<RegisterDeviceOptions, 'baseUrl' | 'headers' | 'fetch' | 'userId'> & {
  userId?: string;
};

/** Options of `authClient.qrLogin.app()`: `@qrlogin/app`'s, minus the base URL the client knows. */
export type QrLoginClientAppOptions = Omit<QrLoginAppOptions, 'baseUrl'>;

/** What `$fetch` needs to stand in for `fetch` (better-fetch's instance, narrowed). */
type BetterFetchLike = (
  url: string,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: unknown;
    onResponse: (context: { response: Response }) => void;
  },
) => Promise<unknown>;

/** better-auth's own rule: a `baseURL` with a path is used as is, a bare origin gets `basePath`. */
function qrLoginBaseUrl(options: { baseURL?: string; basePath?: string } | undefined): string {
  if (!options?.baseURL) throw new TypeError('qrLoginClient: the phone side needs createAuthClient({ baseURL })');
  const url = new URL(options.baseURL);
  const path = url.pathname !== '/' ? url.pathname : (options.basePath ?? '/api/auth');
  return url.origin + path.replace(/\/+$/, '') + QR_LOGIN_PATH;
}

/**
 * The better-auth client plugin. Adds to `authClient.qrLogin`:
 * - `redeem({ sessionId, browserSecret })` (web): after the `<qr-login>` element or the
 *   `@qrlogin/browser` client reports `confirmed`, signs this browser in with its own session;
 * - `baseUrl()`: where qrlogin is mounted, e.g. `https://example.com/api/auth/qr-login`;
 * - `registerDevice({ keys, label })` (app): registers the device key to the signed-in user, sent
 *   through the auth client's own fetch so its cookies (or `@better-auth/expo`'s stored cookie)
 *   authenticate it, and signed for the session's user (read with `get-session` unless you pass
 *   `userId`);
 * - `app({ deviceId, keyStore })` (app): `@qrlogin/app`'s client for `scan()`, then
 *   `request.confirm()` / `request.reject()`, signed with the device key.
 *
 * @example
 * const authClient = createAuthClient({ baseURL: 'https://example.com', plugins: [qrLoginClient()] });
 * // phone, signed in:
 * const { deviceId } = await authClient.qrLogin.registerDevice({ keys, label: 'My phone' });
 * const request = await authClient.qrLogin.app({ deviceId, keys }).scan(qrText);
 * await request.confirm();
 */
export function qrLoginClient() {
  return {
    id: 'qr-login',
    $InferServerPlugin: {} as QrLoginPlugin,
    pathMethods: { [`${QR_LOGIN_PATH}/redeem`]: 'POST' },
    getActions($fetch, _store, options) {
      const betterFetch = $fetch as unknown as BetterFetchLike;
      // `@qrlogin/app` posts through this, so better-auth's fetch plugins (cookies, expo's stored
      // cookie and origin header, bearer) authenticate the registration the way they do every call.
      const authFetch: FetchLike = async (url, init) => {
        let response: Response | undefined;
        await betterFetch(url, {
          method: init.method,
          headers: init.headers,
          body: init.body === undefined ? undefined : JSON.parse(init.body),
          onResponse: (context) => {
            response = context.response.clone();
          },
        });
        if (!response) throw new TypeError('qrLoginClient: the request got no response');
        return response;
      };
      const baseUrl = () => qrLoginBaseUrl(options);
      // The registration signs the account it is for (so a captured body is useless under any
      // other account): by default the user this app's better-auth session belongs to.
      const signedInUserId = async (): Promise<string> => {
        const { data } = (await $fetch('/get-session', { method: 'GET' })) as {
          data?: { user?: { id?: unknown } } | null;
        };
        const id = data?.user?.id;
        if (typeof id !== 'string')
          throw new TypeError('qrLoginClient: registerDevice needs a signed-in better-auth session');
        return id;
      };
      return {
        qrLogin: {
          baseUrl,
          registerDevice: async (input: QrLoginClientRegisterOptions): Promise<{ deviceId: string }> =>
            registerDevice({
              ...input,
              userId: input.userId ?? (await signedInUserId()),
              baseUrl: baseUrl(),
              fetch: authFetch,
            }),
          app: (input: QrLoginClientAppOptions): QrLoginApp => createQrLoginApp({ ...input, baseUrl: baseUrl() }),
        },
      };
    },
  } satisfies BetterAuthClientPlugin;
}
