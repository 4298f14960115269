import {
  type CreateSessionResponse,
  isBrowserSecret,
  isSessionId,
  SESSION_STATES,
  type StatusSnapshot,
} from '@qrlogin/protocol';

type Loose = Record<string, unknown>;

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/**
 * Checks a snapshot from the socket or the long-poll before the client acts on it: a proxy or a
 * newer server must not be able to make the client emit half-formed events.
 *
 * @example
 * const snapshot = readSnapshot(JSON.parse(frame)); // StatusSnapshot | null
 */
export function readSnapshot(value: unknown): StatusSnapshot | null {
  const v = value as Loose | null;
  if (
    !v ||
    !isSessionId(v.sessionId) ||
    !SESSION_STATES.includes(v.state as StatusSnapshot['state']) ||
    !Number.isSafeInteger(v.version) ||
    !isTime(v.expiresAt) ||
    !isTime(v.serverTime)
  ) {
    return null;
  }
  return v as unknown as StatusSnapshot;
}

/**
 * Checks the answer of `POST /sessions`.
 *
 * @example
 * const created = readCreated(await response.json()); // CreateSessionResponse | null
 */
export function readCreated(value: unknown): CreateSessionResponse | null {
  const v = value as Loose | null;
  if (
    !v ||
    !isSessionId(v.sessionId) ||
    !isBrowserSecret(v.browserSecret) ||
    typeof v.qrPayload !== 'string' ||
    !Number.isSafeInteger(v.version) ||
    !isTime(v.expiresAt) ||
    !isTime(v.serverTime)
  ) {
    return null;
  }
  return v as unknown as CreateSessionResponse;
}
