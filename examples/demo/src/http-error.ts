/**
 * An error of the demo host's own routes, answered as `{ error: { code, message } }` with its
 * status — the same shape qrlogin's routes use, so the page reads both alike.
 */
export class HttpError extends Error {
  /**
   * @example
   * throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
   */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
