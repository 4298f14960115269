/**
 * The "Link a new phone" part of the signed-in page: `<qr-link-device>` shows a link code for the
 * signed-in user; the new phone's app scans it and shows two digits, which the user types here.
 */

/**
 * The section's markup (no inline script or style: `signed-in.js` defines the element).
 *
 * @example
 * body: `<main>…${linkPhoneSection()}</main>`
 */
export function linkPhoneSection(): string {
  return `<section class="link-phone" aria-labelledby="link-phone-title">
<h2 id="link-phone-title">Link a new phone</h2>
<p class="hint">Scan this code with the app on a phone that is not signed in yet, then type the
number it shows. The phone can sign you in from then on.</p>
<qr-link-device base-url="/qrlogin"></qr-link-device>
<a id="link-shortcut" class="button secondary" href="/phone" target="phone" hidden>Open this code in the phone simulator</a>
</section>`;
}
