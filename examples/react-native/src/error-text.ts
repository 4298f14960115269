/**
 * What to tell the user for each error the scan and confirm calls can end in. Codes, not
 * messages, decide: the codes are stable, the messages are for developers.
 */
import { type ErrorCode, isQrLoginError } from '@qrlogin/app';

const TEXT: Partial<Record<ErrorCode, string>> = {
  FOREIGN_QR: 'This code is not for this app. Only scan codes shown on our own website.',
  INVALID_QR: 'This is not a sign-in code.',
  SESSION_NOT_FOUND: 'This sign-in code is no longer valid. Refresh the page and scan again.',
  SESSION_EXPIRED: 'This sign-in code has expired. Refresh the page and scan again.',
  ALREADY_SCANNED: 'Another phone already scanned this code. If that was not you, do not sign in on that page.',
  INVALID_STATE: 'This sign-in request was already answered.',
  DEVICE_REVOKED: 'This phone was removed from your account. Sign in again in the app to use QR sign-in.',
  DEVICE_NOT_FOUND: 'This phone is not set up for QR sign-in yet.',
  CODE_REQUIRED: 'Type the two-digit number shown on the computer screen.',
  CODE_MISMATCH: 'The number did not match, so the sign-in was cancelled. If you did not start it, ignore it.',
  PROXIMITY_DENIED: 'Your phone and the computer must be in the same place to sign in.',
  TIMESTAMP_SKEW: "Your phone's clock is wrong. Set it to automatic time and try again.",
  RATE_LIMITED: 'Too many attempts. Wait a minute and try again.',
  NETWORK_ERROR: 'No connection to the server. Check your internet connection.',
};

/**
 * The sentence to show for a failed scan / confirm / reject.
 *
 * @example
 * setMessage(errorText(err));
 */
export function errorText(err: unknown): string {
  if (isQrLoginError(err)) return TEXT[err.code] ?? 'Something went wrong. Please try again.';
  return err instanceof Error ? err.message : 'Something went wrong. Please try again.';
}
