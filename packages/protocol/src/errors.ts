/**
 * The one error table of qrlogin: every error code, the HTTP status it travels with and the
 * WebSocket close code that ends a socket for the same reason. Server, browser and app share it,
 * so a code means the same thing wherever it is seen.
 *
 * WebSocket close codes live in the private 4000–4999 range and mirror the HTTP status
 * (`4000 + status`), so the two tables cannot drift apart.
 */
export const ERROR_TABLE = {
  /** A body, query or frame did not have the expected shape. */
  INVALID_REQUEST: { status: 400, description: 'The request or frame is malformed.' },
  /** The body was larger than the endpoint accepts. */
  PAYLOAD_TOO_LARGE: { status: 413, description: 'The body is larger than the endpoint accepts.' },
  /** A JSON endpoint was sent something that is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: 'Only application/json bodies are accepted.' },
  /** No qrlogin route has this path. */
  NOT_FOUND: { status: 404, description: 'No such route.' },
  /** The route exists, but not for this method. */
  METHOD_NOT_ALLOWED: { status: 405, description: 'The route does not take this method.' },
  /** No session has this id (never existed, or forgotten after it ended). */
  SESSION_NOT_FOUND: { status: 404, description: 'No session has this id.' },
  /** The browser secret presented does not belong to the session. */
  INVALID_SECRET: { status: 401, description: 'The browser secret does not match the session.' },
  /** The session's time ran out before it completed. */
  SESSION_EXPIRED: { status: 410, description: 'The session has expired.' },
  /** The session is in a state that does not allow the action (e.g. confirm before scan). */
  INVALID_STATE: { status: 409, description: 'The session is not in a state that allows this.' },
  /** Another device already scanned (and locked) this session. */
  ALREADY_SCANNED: { status: 409, description: 'Another device already scanned this session.' },
  /** The confirmed session was already redeemed once. */
  ALREADY_REDEEMED: { status: 409, description: 'The session was already redeemed.' },
  /** The Ed25519 signature does not verify over the canonical message. */
  SIGNATURE_INVALID: { status: 401, description: 'The signature does not verify.' },
  /** The device's timestamp is outside the allowed clock skew. */
  TIMESTAMP_SKEW: { status: 401, description: 'The device clock is too far from the server clock.' },
  /** No registered device has this id. */
  DEVICE_NOT_FOUND: { status: 404, description: 'No device has this id.' },
  /** The device was revoked and can do nothing any more. */
  DEVICE_REVOKED: { status: 403, description: 'The device has been revoked.' },
  /** The device belongs to another user than the one the action needs. */
  DEVICE_FORBIDDEN: { status: 403, description: 'The device may not do this.' },
  /** The public key is already registered as a device. */
  DEVICE_EXISTS: { status: 409, description: 'This public key is already registered.' },
  /** The public key is not a valid, safe Ed25519 key (wrong length, small order, not on curve). */
  KEY_INVALID: { status: 400, description: 'The public key is not a usable Ed25519 key.' },
  /** Number matching is on and no code was sent with the confirm. */
  CODE_REQUIRED: { status: 400, description: 'The number-matching code is required.' },
  /** The number-matching code was wrong; the session is rejected outright. */
  CODE_MISMATCH: { status: 403, description: 'The number-matching code was wrong.' },
  /** The phone and the browser are too far apart for the proximity policy. */
  PROXIMITY_DENIED: { status: 403, description: 'The phone and the browser are not near each other.' },
  /** The request's Origin is not on the allowlist. */
  FORBIDDEN_ORIGIN: { status: 403, description: 'The Origin is not allowed.' },
  /** The host's authentication hook did not recognise the caller. */
  UNAUTHENTICATED: { status: 401, description: 'The caller is not signed in to the host.' },
  /** Too many requests; retry after the time in `Retry-After`. */
  RATE_LIMITED: { status: 429, description: 'Too many requests.' },
  /** A WebSocket did not authenticate within the deadline. */
  AUTH_TIMEOUT: { status: 408, description: 'The socket did not authenticate in time.' },
  /** The session store or event bus could not be reached. */
  STORE_UNAVAILABLE: { status: 503, description: 'The session store is unavailable.' },
  /** The server is shutting down. */
  SHUTTING_DOWN: { status: 503, description: 'The server is shutting down.' },
  /** A QR code that does not belong to this app's server (phone side, before any network call). */
  FOREIGN_QR: { status: 400, description: 'The QR code belongs to another site.' },
  /** A QR code that is not a qrlogin code, or of a version this client does not know. */
  INVALID_QR: { status: 400, description: 'The QR code is not a qrlogin code this client understands.' },
  /** No cryptographically secure random source is available (phone side). */
  NO_SECURE_RANDOM: { status: 500, description: 'No secure random source is available.' },
  /** The network request failed before the server answered (client side). */
  NETWORK_ERROR: { status: 502, description: 'The network request failed.' },
  /** An unexpected server failure. Never carries details. */
  INTERNAL_ERROR: { status: 500, description: 'Internal error.' },
} as const satisfies Record<string, { status: number; description: string }>;

/** Every stable error code. */
export type ErrorCode = keyof typeof ERROR_TABLE;

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
  return ERROR_TABLE[code].status;
}

/**
 * WebSocket close code for an error code: `4000 + HTTP status`, so `SESSION_EXPIRED` closes with 4410.
 * `SHUTTING_DOWN` uses the standard 1001 "going away".
 *
 * @example
 * wsCloseCodeOf('INVALID_SECRET') // 4401
 */
export function wsCloseCodeOf(code: ErrorCode): number {
  return code === 'SHUTTING_DOWN' ? WS_CLOSE_GOING_AWAY : 4000 + ERROR_TABLE[code].status;
}

/**
 * True when `value` is one of the stable error codes.
 *
 * @example
 * isErrorCode('RATE_LIMITED') // true
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_TABLE, value);
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
    message: string = ERROR_TABLE[code].description,
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
