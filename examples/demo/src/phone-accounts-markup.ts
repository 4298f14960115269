/**
 * The phone simulator's account screens: "which account?" when a code matches several, the digits
 * a link code makes the phone show, and the button that adds the second demo user.
 */
import { escapeHtml } from './html.js';

/**
 * Markup for the account screens of `/phone` (filled in by `phone-accounts.ts`, text only).
 *
 * @example
 * body: `…${phoneAccountsMarkup('ana@example.com')}…`
 */
export function phoneAccountsMarkup(userId: string): string {
  return `<section id="accounts-screen" class="screen" hidden aria-labelledby="accounts-title">
<h1 id="accounts-title">Sign in as which account?</h1>
<p>This phone holds more than one account for this site.</p>
<div id="account-list" class="decision-buttons"></div>
</section>

<section id="link-screen" class="screen" hidden aria-labelledby="link-title">
<h1 id="link-title">Link this phone</h1>
<p>Type this number on the signed-in page at <strong id="link-site"></strong>:</p>
<p id="link-digits" class="link-digits" role="status"></p>
<p class="warning">Only type it on a page you opened yourself. Never read it out to anyone.</p>
</section>

<p class="hint"><button id="add-account" class="button secondary" type="button">Add a second account (demo: ben@example.com)</button>
Signed in to the app as ${escapeHtml(userId)}; other accounts come from this button or from a "Link a new phone" code.</p>`;
}
