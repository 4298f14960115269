/**
 * Where the plugin's routes live under better-auth's base path, e.g. `/api/auth/qr-login`.
 *
 * @example
 * const url = `${origin}/api/auth${QR_LOGIN_PATH}/redeem`;
 */
export const QR_LOGIN_PATH = '/qr-login';

/**
 * Where the signed-in user's own web endpoints live, e.g. `/api/auth/qr-login/account/logins`:
 * authenticated by the better-auth session, beside the phone's signed routes.
 *
 * @example
 * const list = await fetch(`/api/auth${QR_LOGIN_ACCOUNT_PATH}/logins`, { credentials: 'include' });
 */
export const QR_LOGIN_ACCOUNT_PATH = `${QR_LOGIN_PATH}/account`;
