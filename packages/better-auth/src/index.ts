/**
 * @module @qrlogin/better-auth
 *
 * QR login as a better-auth plugin: qrlogin's routes under better-auth's handler, devices in
 * better-auth's database, registration authenticated by the app's better-auth session, and a
 * **new** better-auth session for the browser on redeem. The client half is
 * `@qrlogin/better-auth/client`.
 *
 * @example
 * import { betterAuth } from 'better-auth';
 * import { qrLogin } from '@qrlogin/better-auth';
 * export const auth = betterAuth({ database, baseURL: 'https://example.com', plugins: [qrLogin()] });
 */
export { type AuthWithContext, attachQrLogin } from './attach-qr-login.js';
export { betterAuthDeviceStore } from './better-auth-device-store.js';
export { type BetterAuthLoginLedgerExtras, betterAuthLoginLedger } from './better-auth-login-ledger.js';
export { endBetterAuthSession } from './end-better-auth-session.js';
export { QR_LOGIN_ACCOUNT_PATH } from './paths.js';
export {
  QR_LOGIN_PATH,
  type QrLoginPlugin,
  type QrLoginPluginOptions,
  qrLogin,
  qrLoginInstance,
} from './qr-login.js';
export type { AccountLogin, EndLoginBody } from './qr-login-account-endpoints.js';
export { qrLoginSchema } from './schema.js';
