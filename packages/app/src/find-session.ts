/**
 * The app's half of "Can't scan?": turn what the user typed into the session it stands for. The
 * scan that follows is the ordinary one, so the confirm screen, requester context and proximity
 * are the QR path's; the server adds number matching for every such session.
 */
import {
  APP_ROUTES,
  type FindSessionBody,
  type FindSessionResponse,
  isSessionId,
  normalizeShortCode,
  QrLoginError,
  type SignedFields,
} from '@qrlogin/protocol';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';

/** What {@link findSession} needs from the app client. */
export interface FindSessionContext {
  href: string;
  audience: string;
  deviceId: string;
  /** Signs one message; only called for input that is a well-formed code. */
  sign: (fields: SignedFields) => Promise<string>;
  fetch: FetchLike | undefined;
  now: () => number;
}

/**
 * Normalises typed input (any case, spaces, dashes) and asks the server for its session with a
 * signed `find-session` call. Input that cannot be a code is refused here, before any network call
 * or signature, as `INVALID_REQUEST`; a well-formed code without a pending session is
 * `SHORT_CODE_NOT_FOUND`; too many tries `RATE_LIMITED`.
 *
 * @example
 * const sessionId = await findSession(context, 'k7m2-q9rt');
 */
export async function findSession(context: FindSessionContext, input: string): Promise<string> {
  const shortCode = normalizeShortCode(input);
  if (shortCode === undefined) {
    throw new QrLoginError('INVALID_REQUEST', 'a code is 8 letters and digits, like K7M2-Q9RT');
  }
  const { deviceId, audience } = context;
  const timestamp = Math.floor(context.now());
  const signature = await context.sign({ action: 'find-session', audience, deviceId, ref: shortCode, timestamp });
  const body: FindSessionBody = { deviceId, shortCode, timestamp, signature };
  const answer = (await postJson(context.href + APP_ROUTES.findSession, body, { fetch: context.fetch })) as
    | Partial<FindSessionResponse>
    | undefined;
  if (!isSessionId(answer?.sessionId)) throw new QrLoginError('INTERNAL_ERROR', 'the server sent a malformed answer');
  return answer.sessionId;
}
