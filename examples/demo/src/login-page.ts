/**
 * The host's `/` page: the `<qr-login>` widget while signed out, "Signed in as …" with a sign-out
 * button once the host's own cookie session exists.
 */
import type { HostSession } from './host-sessions.js';
import { escapeHtml, layout } from './html.js';
import { linkPhoneSection } from './link-phone-section.js';

/**
 * The signed-out page; `linked` (this browser signed in before) adds "Send a prompt to my phone". The widget redeems through the host's `POST /login/qr` and then reloads
 * `/` (its `redirect` attribute), which the host now answers with the signed-in page.
 *
 * @example
 * res.end(loginPage());
 */
export function loginPage(options: { tv?: boolean; linked?: boolean } = {}): string {
  // "Can't scan?" shows a short code to type in the phone simulator; `/tv` shows it at once, large.
  const waysIn = `short-code app-name="the demo app"${options.tv ? ' layout="tv"' : ''}`;
  return layout({
    title: 'Sign in — qrlogin demo',
    script: 'login.js',
    body: `<main class="card${options.tv ? ' tv' : ''}">
<h1>Sign in to the demo site</h1>
<p class="lead">Scan the code with the app where you are already signed in.</p>
<qr-login base-url="/qrlogin" redeem-url="/login/qr" redirect="/" ${waysIn}${options.linked ? ' prompt' : ''}></qr-login>
<p class="hint">No phone at hand? The <a href="/phone" target="phone">phone simulator</a> plays the app:
paste the code's link into it (any QR reader shows the link), enter the short code under "Can't scan?",
or take the demo shortcut. On a TV or a screen without a camera nearby, try the <a href="/tv">TV layout</a>.</p>
<a id="phone-shortcut" class="button secondary" href="/phone" target="phone" hidden>Open this code in the phone simulator</a>
</main>`,
  });
}

/**
 * The signed-in page, from the host's own session.
 *
 * @example
 * res.end(signedInPage(session));
 */
export function signedInPage(session: HostSession): string {
  const { requester } = session;
  const browser = [requester.browser, requester.os].filter(Boolean).join(' on ') || 'an unknown browser';
  return layout({
    title: 'Signed in — qrlogin demo',
    script: 'signed-in.js',
    body: `<main class="card">
<h1 class="signed-in">Signed in as <span id="user">${escapeHtml(session.userId)}</span></h1>
<p>This browser (${escapeHtml(browser)}) was signed in at
<time datetime="${new Date(session.signedInAt).toISOString()}">${escapeHtml(new Date(session.signedInAt).toUTCString())}</time>
by device <code>${escapeHtml(session.deviceId)}</code>. The page reads this from the host's own
cookie session; qrlogin only vouched for the login once. End it from the phone (under "Where you're
signed in") and this page goes back to the QR code.</p>
<form method="post" action="/logout"><button type="submit" class="button">Sign out</button></form>
${linkPhoneSection()}
</main>`,
  });
}
