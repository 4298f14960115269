/**
 * @module @qrlogin/app/react
 *
 * React hooks for the phone side (React is an optional peer of `@qrlogin/app`; no UI kit):
 * {@link useDevice} for registration, {@link useQrLogin} for a scan → confirm screen, and
 * {@link errorText} for the user-facing sentences (en / zh / ja).
 *
 * @example
 * import { useDevice, useQrLogin } from '@qrlogin/app/react';
 *
 * const device = useDevice({ baseUrl, keyStore, deviceIdStore });
 * const login = useQrLogin(device.app, { locale: 'zh' });
 */
export { describeError, type QrLoginFailure } from './describe-error.js';
export { type ErrorTextKey, errorText, type QrLoginLocale } from './error-text.js';
export { type AccountsState, useAccounts } from './use-accounts.js';
export {
  type DeviceIdStore,
  type DevicePhase,
  type DeviceState,
  type RegisterInput,
  type UseDeviceOptions,
  useDevice,
} from './use-device.js';
export { type QrLoginFlow, type QrLoginPhase, type UseQrLoginOptions, useQrLogin } from './use-qr-login.js';
