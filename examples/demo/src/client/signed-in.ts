/**
 * The signed-in page's script: asks the host's `GET /me` every 2 seconds and reloads `/` as soon as
 * the host session is gone (ended from the phone under "Where you're signed in", or expired), so
 * the page goes back to the QR instead of showing a stale "signed in". A poll, not a push: the
 * host session is the host's own, and one small GET every 2 s is all a demo needs. It also brings
 * the page's "Link a new phone" panel.
 */
import './link-phone.js';

const POLL_MS = 2000;

async function check(): Promise<void> {
  try {
    const response = await fetch('/me', { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      location.replace('/');
      return;
    }
  } catch {
    // Offline for a moment (or the demo restarting): keep asking.
  }
  setTimeout(check, POLL_MS);
}

setTimeout(check, POLL_MS);
