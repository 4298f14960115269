import { type AuthFrame, isBrowserSecret, isSessionId, QrLoginError } from '@qrlogin/protocol';

/**
 * Parses the one frame a browser may send: `{"type":"auth","sessionId":…,"browserSecret":…}`,
 * as text, with exactly those keys. Anything else is `INVALID_REQUEST` (close 4400); a wrong
 * secret is judged later, against the store.
 */
export function parseClientFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): AuthFrame {
  if (isBinary) throw new QrLoginError('INVALID_REQUEST', 'frames must be text');
  const text = Array.isArray(data)
    ? Buffer.concat(data).toString('utf8')
    : Buffer.from(data as ArrayBuffer).toString('utf8');
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    throw new QrLoginError('INVALID_REQUEST', 'the frame is not valid JSON');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
    throw new QrLoginError('INVALID_REQUEST', 'the frame must be a JSON object');
  }
  const { type, sessionId, browserSecret, ...rest } = frame as Record<string, unknown>;
  if (type !== 'auth') throw new QrLoginError('INVALID_REQUEST', 'the first frame must be {"type":"auth",…}');
  if (Object.keys(rest).length > 0) throw new QrLoginError('INVALID_REQUEST', 'the auth frame has unexpected fields');
  if (!isSessionId(sessionId)) throw new QrLoginError('INVALID_REQUEST', 'sessionId must be a session id');
  if (typeof browserSecret !== 'string') throw new QrLoginError('INVALID_REQUEST', 'browserSecret must be a string');
  if (!isBrowserSecret(browserSecret))
    throw new QrLoginError('INVALID_SECRET', 'the browser secret does not match this session');
  return { type, sessionId, browserSecret };
}
