import type { QrLoginStrings } from './strings.js';

/**
 * English strings (the fallback for any language without its own).
 *
 * @example
 * en.pending // 'Scan this code with the app to sign in.'
 */
export const en: QrLoginStrings = {
  qrLabel: 'QR code to sign in with the app',
  loading: 'Preparing a sign-in code…',
  pending: 'Scan this code with the app to sign in.',
  scanned: 'Scanned. Confirm on your phone.',
  scannedCode: 'Scanned. Enter {code} on your phone to confirm.',
  confirmed: 'Confirmed. Signing you in…',
  signedIn: 'Signed in.',
  rejected: 'Sign-in was declined on the phone.',
  expired: 'This code has expired.',
  cancelled: 'Sign-in was cancelled.',
  error: 'Could not reach the sign-in service.',
  misconfigured: 'Sign-in is not set up correctly on this site.',
  redeemFailed: 'Sign-in could not be completed.',
  countdown: 'Expires in {time}',
  refresh: 'Get a new code',
};
