/**
 * Setup mistakes the page can recognise from the server's answer, told apart from outages: the
 * widget says so and the console names the option to fix, instead of "could not reach".
 */
import type { QrLoginError } from '@qrlogin/protocol';

/**
 * The console hint for an error that means the site is set up wrong, or `undefined` for any other
 * error. `FORBIDDEN_ORIGIN`: the page's origin is not in the server's allowlist. `NOT_FOUND` /
 * `METHOD_NOT_ALLOWED` on session creation: `baseUrl` does not point at qrlogin.
 *
 * @example
 * misconfigurationHint(new QrLoginError('FORBIDDEN_ORIGIN'), '/qrlogin', 'http://localhost:5173')
 * // 'qrlogin: the server at /qrlogin refused this page's origin "http://localhost:5173" …'
 */
export function misconfigurationHint(error: QrLoginError, baseUrl: string, pageOrigin: string): string | undefined {
  if (error.code === 'FORBIDDEN_ORIGIN') {
    return (
      `qrlogin: the server at ${baseUrl} refused this page's origin ${JSON.stringify(pageOrigin)} (FORBIDDEN_ORIGIN). ` +
      `Add it to the server's "allowedOrigins" option, or set the server's "origin" option to this site's address.`
    );
  }
  if (isMisconfiguration(error)) {
    return (
      `qrlogin: creating a session at ${baseUrl} failed with ${error.code}: check the "baseUrl" option ` +
      '(the base-url attribute of <qr-login>) and that the server mounts qr.node or qr.fetch there.'
    );
  }
  return undefined;
}

/**
 * Whether a fatal client error means the site is set up wrong (see {@link misconfigurationHint}):
 * the element then says so instead of "could not reach the sign-in service".
 *
 * @example
 * isMisconfiguration(new QrLoginError('FORBIDDEN_ORIGIN')) // true
 * isMisconfiguration(new QrLoginError('NETWORK_ERROR')) // false
 */
export function isMisconfiguration(error: QrLoginError): boolean {
  return error.code === 'FORBIDDEN_ORIGIN' || error.code === 'NOT_FOUND' || error.code === 'METHOD_NOT_ALLOWED';
}
