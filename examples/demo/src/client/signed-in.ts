/**
 * The signed-in page's script: listens on the host's `GET /me/events` (Server-Sent Events) and
 * reloads `/` the moment the host session ends — ended from the phone under "Where you're signed
 * in", signed out in another tab, or expired — so the page goes back to the QR instead of showing
 * a stale "signed in". EventSource reconnects by itself after a network blip or a demo restart,
 * and the server answers a stream without a live session with `ended` at once.
 * It also brings the page's "Link a new phone" panel.
 */
import './link-phone.js';

const events = new EventSource('/me/events');
events.addEventListener('ended', () => {
  events.close();
  location.replace('/');
});
