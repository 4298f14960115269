/**
 * `GET /me`: who this browser's host session belongs to, or 401 once it is gone (signed out, or
 * ended from the phone). The signed-in page polls it to go back to the QR when that happens.
 */
import type { HostSession } from './host-sessions.js';

type Send = (status: number, headers: Record<string, string>, body?: string) => void;

/**
 * Answers `/me` for `session` (`undefined`: no live host session).
 *
 * @example
 * sendMe(logins.get(cookies.get('demo_session')), send);
 */
export function sendMe(session: HostSession | undefined, send: Send): void {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (session) send(200, headers, JSON.stringify({ userId: session.userId, signedInAt: session.signedInAt }));
  else send(401, headers, JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'not signed in' } }));
}
