import { ERROR_STATUS, type ErrorCode } from './errors.js';

/**
 * Every error code with its HTTP status and a one-line description, for servers (default
 * messages) and documentation. Browser and app code use `ERROR_STATUS`, which carries no text.
 *
 * @example
 * ERROR_TABLE.SESSION_EXPIRED // { status: 410, description: 'The session has expired.' }
 */
export const ERROR_TABLE = {
  /** A body, query or frame did not have the expected shape. */
  INVALID_REQUEST: { status: ERROR_STATUS.INVALID_REQUEST, description: 'The request or frame is malformed.' },
  /** The body was larger than the endpoint accepts. */
  PAYLOAD_TOO_LARGE: {
    status: ERROR_STATUS.PAYLOAD_TOO_LARGE,
    description: 'The body is larger than the endpoint accepts.',
  },
  /** A JSON endpoint was sent something that is not `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: {
    status: ERROR_STATUS.UNSUPPORTED_MEDIA_TYPE,
    description: 'Only application/json bodies are accepted.',
  },
  /** No qrlogin route has this path. */
  NOT_FOUND: { status: ERROR_STATUS.NOT_FOUND, description: 'No such route.' },
  /** The route exists, but not for this method. */
  METHOD_NOT_ALLOWED: { status: ERROR_STATUS.METHOD_NOT_ALLOWED, description: 'The route does not take this method.' },
  /** No session has this id (never existed, or forgotten after it ended). */
  SESSION_NOT_FOUND: { status: ERROR_STATUS.SESSION_NOT_FOUND, description: 'No session has this id.' },
  /** The browser secret presented does not belong to the session. */
  INVALID_SECRET: {
    status: ERROR_STATUS.INVALID_SECRET,
    description: 'The browser secret does not match the session.',
  },
  /** The session's time ran out before it completed. */
  SESSION_EXPIRED: { status: ERROR_STATUS.SESSION_EXPIRED, description: 'The session has expired.' },
  /** The session is in a state that does not allow the action (e.g. confirm before scan). */
  INVALID_STATE: { status: ERROR_STATUS.INVALID_STATE, description: 'The session is not in a state that allows this.' },
  /** Another device already scanned (and locked) this session. */
  ALREADY_SCANNED: {
    status: ERROR_STATUS.ALREADY_SCANNED,
    description: 'Another device already scanned this session.',
  },
  /** The confirmed session was already redeemed once. */
  ALREADY_REDEEMED: { status: ERROR_STATUS.ALREADY_REDEEMED, description: 'The session was already redeemed.' },
  /** The Ed25519 signature does not verify over the canonical message. */
  SIGNATURE_INVALID: { status: ERROR_STATUS.SIGNATURE_INVALID, description: 'The signature does not verify.' },
  /** The device's timestamp is outside the allowed clock skew. */
  TIMESTAMP_SKEW: {
    status: ERROR_STATUS.TIMESTAMP_SKEW,
    description: 'The device clock is too far from the server clock.',
  },
  /** No registered device has this id. */
  DEVICE_NOT_FOUND: { status: ERROR_STATUS.DEVICE_NOT_FOUND, description: 'No device has this id.' },
  /** The device was revoked and can do nothing any more. */
  DEVICE_REVOKED: { status: ERROR_STATUS.DEVICE_REVOKED, description: 'The device has been revoked.' },
  /** The device belongs to another user than the one the action needs. */
  DEVICE_FORBIDDEN: { status: ERROR_STATUS.DEVICE_FORBIDDEN, description: 'The device may not do this.' },
  /** The public key is already registered as a device. */
  DEVICE_EXISTS: { status: ERROR_STATUS.DEVICE_EXISTS, description: 'This public key is already registered.' },
  /** A signed message of a version the server no longer accepts for its action (e.g. a version 1 registration). */
  UNSUPPORTED_VERSION: {
    status: ERROR_STATUS.UNSUPPORTED_VERSION,
    description: 'The signed message is of a version this server does not accept; update the app.',
  },
  /** The public key is not a valid, safe Ed25519 key (wrong length, small order, not on curve). */
  KEY_INVALID: { status: ERROR_STATUS.KEY_INVALID, description: 'The public key is not a usable Ed25519 key.' },
  /** Number matching is on and no code was sent with the confirm. */
  CODE_REQUIRED: { status: ERROR_STATUS.CODE_REQUIRED, description: 'The number-matching code is required.' },
  /** The number-matching code was wrong; the session is rejected outright. */
  CODE_MISMATCH: { status: ERROR_STATUS.CODE_MISMATCH, description: 'The number-matching code was wrong.' },
  /** The phone and the browser are too far apart for the proximity policy. */
  PROXIMITY_DENIED: {
    status: ERROR_STATUS.PROXIMITY_DENIED,
    description: 'The phone and the browser are not near each other.',
  },
  /** The request's Origin is not on the allowlist. */
  FORBIDDEN_ORIGIN: { status: ERROR_STATUS.FORBIDDEN_ORIGIN, description: 'The Origin is not allowed.' },
  /** The host's authentication hook did not recognise the caller. */
  UNAUTHENTICATED: { status: ERROR_STATUS.UNAUTHENTICATED, description: 'The caller is not signed in to the host.' },
  /** Too many requests; retry after the time in `Retry-After`. */
  RATE_LIMITED: { status: ERROR_STATUS.RATE_LIMITED, description: 'Too many requests.' },
  /** A WebSocket did not authenticate within the deadline. */
  AUTH_TIMEOUT: { status: ERROR_STATUS.AUTH_TIMEOUT, description: 'The socket did not authenticate in time.' },
  /** The session store or event bus could not be reached. */
  STORE_UNAVAILABLE: { status: ERROR_STATUS.STORE_UNAVAILABLE, description: 'The session store is unavailable.' },
  /** The server is shutting down. */
  SHUTTING_DOWN: { status: ERROR_STATUS.SHUTTING_DOWN, description: 'The server is shutting down.' },
  /** A QR code that does not belong to this app's server (phone side, before any network call). */
  FOREIGN_QR: { status: ERROR_STATUS.FOREIGN_QR, description: 'The QR code belongs to another site.' },
  /** A QR code that is not a qrlogin code, or of a version this client does not know. */
  INVALID_QR: {
    status: ERROR_STATUS.INVALID_QR,
    description: 'The QR code is not a qrlogin code this client understands.',
  },
  /** No cryptographically secure random source is available (phone side). */
  NO_SECURE_RANDOM: { status: ERROR_STATUS.NO_SECURE_RANDOM, description: 'No secure random source is available.' },
  /** The network request failed before the server answered (client side). */
  NETWORK_ERROR: { status: ERROR_STATUS.NETWORK_ERROR, description: 'The network request failed.' },
  /** An unexpected server failure. Never carries details. */
  INTERNAL_ERROR: { status: ERROR_STATUS.INTERNAL_ERROR, description: 'Internal error.' },
  /** The context digest a confirm signed is not the digest of the request the server sent: the phone was shown something else. */
  CONTEXT_MISMATCH: {
    status: ERROR_STATUS.CONTEXT_MISMATCH,
    description: 'The phone confirmed another context than the server sent.',
  },
  /** No login of this user has this id (another user's login answers the same, revealing nothing). */
  LOGIN_NOT_FOUND: { status: ERROR_STATUS.LOGIN_NOT_FOUND, description: 'No login has this id.' },
  /** The user reported a sign-in as "this wasn't me"; new scans are refused until the lock ends. */
  SCANS_LOCKED: {
    status: ERROR_STATUS.SCANS_LOCKED,
    description: 'Scanning is locked for this account after a report; try again later.',
  },
  /** The host's `endSession` hook failed, so the login was not marked ended; retry. */
  END_SESSION_FAILED: {
    status: ERROR_STATUS.END_SESSION_FAILED,
    description: 'The sign-in could not be ended; try again.',
  },
} as const satisfies Record<ErrorCode, { status: number; description: string }>;

/**
 * The table's one-line description of an error code.
 *
 * @example
 * describeError('RATE_LIMITED') // 'Too many requests.'
 */
export function describeError(code: ErrorCode): string {
  return ERROR_TABLE[code].description;
}
