/**
 * Every error code and the HTTP status it travels with; the WebSocket close code is derived from
 * it. Server, browser and app share it, so a code means the same thing wherever it is seen. Kept
 * to numbers so that browser and React Native bundles carry no descriptions: those live in
 * `ERROR_TABLE` (`error-table.ts`), which only servers and docs import.
 *
 * WebSocket close codes live in the private 4000–4999 range and mirror the HTTP status
 * (`4000 + status`), so the two cannot drift apart.
 */
export const ERROR_STATUS = {
  INVALID_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  SESSION_NOT_FOUND: 404,
  INVALID_SECRET: 401,
  SESSION_EXPIRED: 410,
  INVALID_STATE: 409,
  ALREADY_SCANNED: 409,
  ALREADY_REDEEMED: 409,
  SIGNATURE_INVALID: 401,
  TIMESTAMP_SKEW: 401,
  DEVICE_NOT_FOUND: 404,
  DEVICE_REVOKED: 403,
  DEVICE_FORBIDDEN: 403,
  DEVICE_EXISTS: 409,
  UNSUPPORTED_VERSION: 400,
  KEY_INVALID: 400,
  CODE_REQUIRED: 400,
  CODE_MISMATCH: 403,
  PROXIMITY_DENIED: 403,
  FORBIDDEN_ORIGIN: 403,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  AUTH_TIMEOUT: 408,
  STORE_UNAVAILABLE: 503,
  SHUTTING_DOWN: 503,
  FOREIGN_QR: 400,
  INVALID_QR: 400,
  NO_SECURE_RANDOM: 500,
  NETWORK_ERROR: 502,
  INTERNAL_ERROR: 500,
  CONTEXT_MISMATCH: 409,
  LOGIN_NOT_FOUND: 404,
  SCANS_LOCKED: 403,
  END_SESSION_FAILED: 503,
} as const satisfies Record<string, number>;

/** Every stable error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error response, and of the `error` frame before a socket closes. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** WebSocket close code for "going away" (server shutdown). */
export const WS_CLOSE_GOING_AWAY = 1001;

/**
 * HTTP status for an error code.
 *
 * @example
 * httpStatusOf('SESSION_EXPIRED') // 410
 */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_STATUS[code];
}

/**
 * WebSocket close code for an error code: `4000 + HTTP status`, so `SESSION_EXPIRED` closes with 4410.
 * `SHUTTING_DOWN` uses the standard 1001 "going away".
 *
 * @example
 * wsCloseCodeOf('INVALID_SECRET') // 4401
 */
export function wsCloseCodeOf(code: ErrorCode): number {
  return code === 'SHUTTING_DOWN' ? WS_CLOSE_GOING_AWAY : 4000 + ERROR_STATUS[code];
}

/**
 * True when `value` is one of the stable error codes.
 *
 * @example
 * isErrorCode('RATE_LIMITED') // true
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_STATUS, value);
}

/**
 * The one error type of qrlogin. Detect it with `instanceof` or, across bundle copies, with
 * `err.name === 'QrLoginError'`. Messages never contain a secret, key, signature or token.
 *
 * @example
 * try {
 *   await qr.redeem({ sessionId, browserSecret });
 * } catch (err) {
 *   if (isQrLoginError(err) && err.code === 'ALREADY_REDEEMED') return reply.status(409);
 *   throw err;
 * }
 */
export class QrLoginError extends Error {
  override readonly name = 'QrLoginError';
  /** Stable UPPER_SNAKE code, the same one that travels on the wire. */
  readonly code: ErrorCode;
  /** HTTP status this error is answered with. */
  readonly status: number;
  /** Seconds the caller should wait before retrying (rate limits only). */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message = `qrlogin error ${code}`,
    options: { cause?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = httpStatusOf(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The wire form: `{ error: { code, message } }`. */
  toJSON(): ErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}

/**
 * True for a `QrLoginError`, including one from another copy of the library.
 *
 * @example
 * if (isQrLoginError(err)) console.log(err.code);
 */
export function isQrLoginError(value: unknown): value is QrLoginError {
  return (
    value instanceof QrLoginError ||
    (value instanceof Error && value.name === 'QrLoginError' && isErrorCode((value as { code?: unknown }).code))
  );
}

/**
 * Rebuilds a `QrLoginError` from a parsed error body (client side). Unknown shapes become
 * `INTERNAL_ERROR` with the HTTP status in the message.
 *
 * @example
 * const err = errorFromBody(await res.json(), res.status);
 */
export function errorFromBody(body: unknown, status: number): QrLoginError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && isErrorCode(error.code)) {
    return new QrLoginError(error.code, typeof error.message === 'string' ? error.message : undefined);
  }
  return new QrLoginError('INTERNAL_ERROR', `unexpected response with HTTP status ${status}`);
}
