/**
 * Turns whatever a login step threw into a code the screen can branch on and a sentence for the user.
 */
import { QrLoginError } from '@qrlogin/protocol';
import { type ErrorTextKey, errorText, type QrLoginLocale } from './error-text.js';

/** A failure as the React hooks report it. */
export interface QrLoginFailure {
  /** The `QrLoginError` code, or `NOT_CONFIRMED` for anything else (a refused biometric prompt). */
  code: ErrorTextKey;
  /** For the user, in the hook's locale. */
  text: string;
  /** The original error, for logs. */
  cause: unknown;
}

/**
 * Describes `reason` (an error, or an error code) for the user.
 *
 * @example
 * describeError(new QrLoginError('CODE_MISMATCH', 'wrong code'), 'en').text
 * // 'The number did not match; the sign-in was cancelled.'
 */
export function describeError(reason: unknown, locale: QrLoginLocale): QrLoginFailure {
  const code: ErrorTextKey =
    reason instanceof QrLoginError
      ? reason.code
      : typeof reason === 'string'
        ? (reason as ErrorTextKey)
        : 'NOT_CONFIRMED';
  return { code, text: errorText(code, locale), cause: reason };
}
