/**
 * `GET /me/events`: a Server-Sent Events stream that tells the signed-in page the moment its host
 * session ends (ended from the phone under "Where you're signed in", or signed out in another
 * tab), so the page goes back to the QR at once instead of on its next poll. One `ended` event,
 * then the stream closes; a stream opened without a live session gets `ended` straight away, which
 * also covers EventSource's automatic reconnect after a demo restart.
 */
import type { ServerResponse } from 'node:http';
import type { HostSessionStore } from './host-sessions.js';

/** How often the stream sends a comment: keeps proxies from timing it out, and notices expiry. */
const HEARTBEAT_MS = 20_000;

const ENDED = 'event: ended\ndata: {}\n\n';

/**
 * Streams `ended` to `res` when host session `id` is deleted or has expired.
 *
 * @example
 * streamMeEvents(logins, cookies.get('demo_session'), res);
 */
export function streamMeEvents(sessions: HostSessionStore<unknown>, id: string | undefined, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  if (id === undefined || sessions.get(id) === undefined) {
    res.end(ENDED);
    return;
  }
  res.write(': signed in\n\n');
  const end = () => {
    stop();
    clearInterval(heartbeat);
    res.end(ENDED);
  };
  const stop = sessions.watch(id, end);
  // Expiry is no deletion event: the heartbeat is where the stream notices it.
  const heartbeat = setInterval(() => (sessions.get(id) === undefined ? end() : res.write(': \n\n')), HEARTBEAT_MS);
  res.on('close', () => {
    stop();
    clearInterval(heartbeat);
  });
}
