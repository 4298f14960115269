/**
 * What the phone simulator says for each error a scan or a decision can end with. The SDK's
 * messages are written for developers; these are for the person holding the phone.
 */
import { type ErrorCode, isQrLoginError } from '@qrlogin/app';

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  INVALID_QR: 'That is not a sign-in code of this app.',
  FOREIGN_QR: 'This code belongs to another site. Do not continue: someone may be trying to sign in as you.',
  SESSION_NOT_FOUND: 'This code is unknown or no longer valid. Get a new one on the computer.',
  SESSION_EXPIRED: 'This code has expired. Get a new one on the computer.',
  ALREADY_SCANNED: 'Another phone has already scanned this code.',
  INVALID_STATE: 'This sign-in has already been answered.',
  CODE_REQUIRED: 'Type the two-digit number shown on the computer.',
  CODE_MISMATCH: 'The number did not match, so the sign-in was cancelled to keep your account safe.',
  PROXIMITY_DENIED: 'This phone and that computer do not seem to be near each other, so the sign-in was refused.',
  TIMESTAMP_SKEW: 'This phone’s clock is wrong. Set it to automatic time and try again.',
  DEVICE_REVOKED: 'This phone was signed out of QR login. Reload the page to register it again.',
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  NETWORK_ERROR: 'The site could not be reached. Check the connection and try again.',
  PROMPT_WRONG_USER: 'This sign-in request is for another account than the one this phone is signed in to.',
  SHORT_CODE_NOT_FOUND: 'No sign-in is waiting for this code. Check it on the computer and type it again.',
  SCANS_LOCKED: 'You reported a sign-in you did not start, so new sign-ins are paused for a while.',
  LOGIN_NOT_FOUND: 'That sign-in is no longer listed.',
  END_SESSION_FAILED: 'The site could not sign that browser out just now. Try again.',
};

/**
 * A sentence for the user, with the stable error code in brackets for support.
 *
 * @example
 * describeError(new QrLoginError('SESSION_EXPIRED')) // 'This code has expired. … (SESSION_EXPIRED)'
 */
export function describeError(error: unknown): string {
  if (!isQrLoginError(error)) return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
  return `${MESSAGES[error.code] ?? error.message} (${error.code})`;
}
