/**
 * A phone's qrlogin set-up as one hook: is this device registered, register it, and the app client
 * once it is.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createQrLoginApp, type QrLoginApp, type QrLoginAppOptions } from '../create-qr-login-app.js';
import { type KeyStore, loadOrCreateDeviceKeys } from '../key-store.js';
import type { Awaitable, RandomBytes } from '../platform.js';
import { type RegisterDeviceOptions, registerDevice } from '../register-device.js';
import { describeError, type QrLoginFailure } from './describe-error.js';
import type { QrLoginLocale } from './error-text.js';

/** Where the (non-secret) `deviceId` is kept next to the key, e.g. in SecureStore or AsyncStorage. */
export interface DeviceIdStore {
  get(): Awaitable<string | null>;
  set(deviceId: string): Awaitable<void>;
}

/** Options of {@link useDevice}. */
export interface UseDeviceOptions {
  /** Where qrlogin is mounted on the host, e.g. `https://example.com/qrlogin`. */
  baseUrl: string;
  /** The device seed's store (read without a prompt). Keep the same object across renders. */
  keyStore: KeyStore;
  deviceIdStore: DeviceIdStore;
  /** Secure random source for a new key. @default `globalThis.crypto.getRandomValues` */
  randomBytes?: RandomBytes;
  /** Language of `error.text`. @default 'en' */
  locale?: QrLoginLocale;
  /** Passed to `createQrLoginApp` (e.g. `beforeSign`, `fetch`). @default {} */
  app?: Partial<Omit<QrLoginAppOptions, 'baseUrl' | 'deviceId' | 'keyStore' | 'keys'>>;
}

/** Extra options of one registration: the label and the host's auth headers, say. */
export type RegisterInput = Omit<RegisterDeviceOptions, 'baseUrl' | 'keys'>;

/**
 * `loading` (reading the stores), `unregistered` (call `register`), `registering`, `ready` (`app` is
 * set), `failed` (see `error`; `register` may be called again).
 */
export type DevicePhase = 'loading' | 'unregistered' | 'registering' | 'ready' | 'failed';

/** What {@link useDevice} returns. */
export interface DeviceState {
  phase: DevicePhase;
  deviceId: string | null;
  /** The client for {@link useQrLogin}, once the device is registered. */
  app: QrLoginApp | null;
  error: QrLoginFailure | null;
  /** Makes (or reuses) the key and registers it with `registerDevice`, then stores the deviceId. */
  register(input: RegisterInput): Promise<void>;
}

/**
 * Loads the device's registration from its stores at mount (a second launch reuses the stored key
 * and deviceId, nothing is generated), and registers it on demand.
 *
 * @example
 * const device = useDevice({ baseUrl, keyStore, deviceIdStore });
 * if (device.phase === 'unregistered') {
 *   return <Button title="Enable QR sign-in" onPress={() => device.register({ label: 'My phone', headers })} />;
 * }
 * const login = useQrLogin(device.app);
 */
export function useDevice(options: UseDeviceOptions): DeviceState {
  const { baseUrl, keyStore, deviceIdStore, randomBytes, locale = 'en' } = options;
  const [phase, setPhase] = useState<DevicePhase>('loading');
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const [error, setError] = useState<QrLoginFailure | null>(null);
  const appOptions = useRef(options.app);
  appOptions.current = options.app;

  useEffect(() => {
    let live = true;
    (async () => {
      const [id, seed] = await Promise.all([deviceIdStore.get(), keyStore.getSeed()]);
      // Only whether there is one matters here; the seed does not stay in memory.
      seed?.fill(0);
      if (!live) return;
      if (id !== null && seed !== null) {
        setDeviceId(id);
        setPhase('ready');
      } else setPhase('unregistered');
    })().catch((reason: unknown) => {
      if (!live) return;
      setError(describeError(reason, locale));
      setPhase('failed');
    });
    return () => {
      live = false;
    };
  }, [keyStore, deviceIdStore, locale]);

  const register = useCallback(
    async (input: RegisterInput) => {
      setPhase('registering');
      setError(null);
      try {
        const { keys } = await loadOrCreateDeviceKeys(keyStore, randomBytes ? { randomBytes } : {});
        const registered = await registerDevice({ ...input, baseUrl, keys });
        await deviceIdStore.set(registered.deviceId);
        setDeviceId(registered.deviceId);
        setPhase('ready');
      } catch (reason) {
        setError(describeError(reason, locale));
        setPhase('failed');
      }
    },
    [baseUrl, keyStore, deviceIdStore, randomBytes, locale],
  );

  const app = useMemo(
    () => (deviceId === null ? null : createQrLoginApp({ ...appOptions.current, baseUrl, deviceId, keyStore })),
    [baseUrl, deviceId, keyStore],
  );

  return { phase, deviceId, app, error, register };
}
