/**
 * Every text the `<qr-login>` element shows or announces. `{name}` placeholders are filled by
 * {@link formatString}; values are inserted as text, never as markup.
 */
export interface QrLoginStrings {
  /** Accessible name of the QR image: its purpose, never its payload. */
  qrLabel: string;
  loading: string;
  pending: string;
  scanned: string;
  /** Scanned with number matching on: `{code}` is the number to type on the phone. */
  scannedCode: string;
  confirmed: string;
  signedIn: string;
  rejected: string;
  expired: string;
  cancelled: string;
  /** The service could not be reached (the client gave up retrying). */
  error: string;
  /**
   * The site is set up wrong (this page's origin is not allowed, `base-url` points elsewhere):
   * retrying will not help, the console says which option to fix.
   */
  misconfigured: string;
  /** The host's redeem route did not accept the confirmed session. */
  redeemFailed: string;
  /** `{time}` is `m:ss`. */
  countdown: string;
  refresh: string;
}

/**
 * Fills `{name}` placeholders; unknown names are left as they are.
 *
 * @example
 * formatString('Enter {code} on your phone', { code: '42' }) // 'Enter 42 on your phone'
 */
export function formatString(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}
