/**
 * A phone that has registered its key with a test server: keys, deviceId and the app client.
 */
import { randomBytes } from 'node:crypto';
import {
  createQrLoginApp,
  type DeviceKeys,
  generateDeviceKeys,
  type QrLoginApp,
  type QrLoginAppOptions,
  registerDevice,
} from '../../src/index.js';
import { AUTH, type TestServer } from './start-server.js';

export interface RegisteredDevice {
  keys: DeviceKeys;
  deviceId: string;
  app: QrLoginApp;
}

/** Generates a key (from node's CSPRNG), registers it for `user` and builds the app client. */
export async function registeredDevice(
  server: TestServer,
  user: keyof typeof AUTH = 'alice',
  options: Partial<QrLoginAppOptions> = {},
): Promise<RegisteredDevice> {
  const keys = generateDeviceKeys({ randomBytes: (n) => new Uint8Array(randomBytes(n)) });
  const serverClock = () => server.clock.now;
  const { deviceId } = await registerDevice({
    baseUrl: server.baseUrl,
    keys,
    label: `${user}'s phone`,
    userId: user,
    headers: AUTH[user],
    now: serverClock,
  });
  // `options.now` (a skewed phone clock, say) applies to the app only: registration must succeed.
  const app = createQrLoginApp({
    baseUrl: server.baseUrl,
    deviceId,
    keys,
    now: serverClock,
    ...options,
  } as QrLoginAppOptions);
  return { keys, deviceId, app };
}
