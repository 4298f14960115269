/**
 * A phone in Node: better-auth's own client with the qrlogin client plugin, keeping its session
 * the way `@better-auth/expo` does — the cookie stored by the app and sent in a `cookie` header —
 * and a device key from the real `@qrlogin/app`.
 */
import { generateDeviceKeys, type QrLoginApp } from '@qrlogin/app';
import { createAuthClient } from 'better-auth/client';
import { qrLoginClient } from '../../src/client.js';

/** A `fetch` with a cookie jar: what an app's stored cookie does for it. */
export function cookieJarFetch(): { fetch: typeof fetch; cookies: Map<string, string> } {
  const cookies = new Map<string, string>();
  const jarFetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (cookies.size > 0) {
      request.headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(request);
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  return { fetch: jarFetch, cookies };
}

/** better-auth's client for `url` with the qrlogin plugin, on its own cookie jar. */
export function authClientWithJar(url: string) {
  const jar = cookieJarFetch();
  const client = createAuthClient({
    baseURL: url,
    plugins: [qrLoginClient()],
    fetchOptions: { customFetchImpl: jar.fetch },
  });
  return { client, cookies: jar.cookies };
}

/** A signed-up, signed-in phone with a registered device key. */
export interface Phone {
  client: ReturnType<typeof authClientWithJar>['client'];
  cookies: Map<string, string>;
  app: QrLoginApp;
  userId: string;
  deviceId: string;
}

/**
 * Signs a new user up on the phone (email and password) and registers a device key for them
 * through the plugin, authenticated by the phone's better-auth session cookie.
 *
 * @example
 * const phone = await signedInPhone(host.url, 'ana@example.com');
 * const request = await phone.app.scan(qrText);
 */
export async function signedInPhone(url: string, email: string): Promise<Phone> {
  const { client, cookies } = authClientWithJar(url);
  const signedUp = await client.signUp.email({ email, password: 'correct horse battery', name: email });
  if (signedUp.error) throw new Error(`sign-up failed: ${JSON.stringify(signedUp.error)}`);
  const keys = generateDeviceKeys();
  const { deviceId } = await client.qrLogin.registerDevice({ keys, label: 'Test phone' });
  return { client, cookies, app: client.qrLogin.app({ deviceId, keys }), userId: signedUp.data.user.id, deviceId };
}
