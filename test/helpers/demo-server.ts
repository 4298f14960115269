/**
 * The demo host app as the e2e fixture, and a phone driven from Node with the real `@qrlogin/app`:
 * it signs in to "the app" the way the phone simulator does (the demo's app cookie from
 * `GET /phone`), registers its key over HTTP (`POST /qrlogin/devices`), then scans and decides.
 */

import { type Demo, type DemoOptions, startDemo } from '../../examples/demo/src/server.js';
import {
  createQrLoginApp,
  generateDeviceKeys,
  type LoginRequest,
  type QrLoginApp,
  registerDevice,
} from '../../packages/app/src/index.js';

// The root package does not depend on the workspace packages, so `@qrlogin/app` cannot be
// resolved from test/; its source entry is what the package name resolves to under the
// `@qrlogin/source` condition anyway.
export type { LoginRequest, QrLoginApp };

/** Starts the demo on a free port (strict CSP on, number matching on, as `pnpm demo` runs). */
export function startTestDemo(options: DemoOptions = {}): Promise<Demo> {
  return startDemo({ port: 0, ...options });
}

/** A phone in Node: a fresh device key registered for the demo user through the site's own auth. */
export async function newNodePhone(demo: Demo): Promise<QrLoginApp> {
  const baseUrl = `${demo.url}/qrlogin`;
  const opened = await fetch(`${demo.url}/phone`);
  // The page names the app user, as the phone simulator reads it for the signed registration.
  const userId = /<span id="app-user">([^<]+)<\/span>/.exec(await opened.text())?.[1];
  if (!userId) throw new Error('GET /phone did not name the app user');
  const appCookie = opened.headers.getSetCookie().find((cookie) => cookie.startsWith('demo_app='));
  if (!appCookie) throw new Error('GET /phone did not sign the phone in to the app (no demo_app cookie)');
  const keys = generateDeviceKeys();
  const { deviceId } = await registerDevice({
    baseUrl,
    keys,
    label: 'e2e phone',
    userId,
    headers: { cookie: appCookie.split(';')[0] as string },
  });
  return createQrLoginApp({ baseUrl, deviceId, keys });
}
