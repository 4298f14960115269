/**
 * The phone simulator's page skeleton: `phone.js` (on `@qrlogin/app`) fills it in. The camera,
 * the paste form, the confirm screen and "Where you're signed in" are all here from the start and
 * shown as needed; the script only adds one list item per login, built from text nodes.
 */
import { escapeHtml, layout } from './html.js';
import { phoneAccountsMarkup } from './phone-accounts-markup.js';

/**
 * The `/phone` page for `userId`, who is "signed in to the app" through the demo's app cookie.
 *
 * @example
 * res.end(phonePage('ana@example.com'));
 */
export function phonePage(userId: string): string {
  return layout({
    title: 'Phone simulator — qrlogin demo',
    script: 'phone.js',
    body: `<main class="phone">
<header class="phone-bar">
<strong>Demo app</strong>
<span>Signed in as <span id="app-user">${escapeHtml(userId)}</span></span>
</header>
<p id="device-status" class="device-status" role="status">Setting up this phone…</p>

<section id="scan-screen" class="screen" hidden>
<h1>Scan a sign-in code</h1>
<button id="camera-start" class="button" type="button" hidden>Scan with the camera</button>
<video id="camera-view" class="camera" playsinline muted hidden></video>
<button id="camera-stop" class="button secondary" type="button" hidden>Stop the camera</button>
<form id="paste-form" class="paste" method="get" action="/phone">
<label for="qr-text">Or paste the code's link</label>
<input id="qr-text" name="qr" type="url" required autocomplete="off" spellcheck="false"
 placeholder="http://localhost:3000/qrlogin/q/1/…">
<button class="button" type="submit">Continue</button>
</form>
<p class="hint">The link is what the QR code holds, e.g. read by any QR scanner app.</p>
<form id="code-form" class="paste">
<label for="short-code">Can't scan? Enter code</label>
<input id="short-code" name="code" required autocomplete="off" autocapitalize="characters" spellcheck="false"
 maxlength="12" placeholder="K7M2-Q9RT">
<button class="button" type="submit">Enter code</button>
</form>
</section>

<section id="confirm-screen" class="screen" hidden aria-labelledby="confirm-title">
<h1 id="confirm-title">Sign in on another device?</h1>
<p class="site">Site: <strong id="confirm-site"></strong></p>
<dl class="context">
<dt>Browser</dt><dd id="confirm-browser"></dd>
<dt>IP address</dt><dd id="confirm-ip"></dd>
<dt>Place</dt><dd id="confirm-place"></dd>
<dt>Requested</dt><dd id="confirm-time"></dd>
<dt>Network</dt><dd id="confirm-network"></dd>
</dl>
<p id="confirm-far" class="warning" hidden>This request comes from far away. If you are not at that computer yourself, reject it.</p>
<p class="warning">Only confirm if you are signing in on that computer yourself right now. Never confirm a code someone sent you.</p>
<form id="decision-form" class="decision">
<div id="code-field" class="code-field" hidden>
<label for="code-input">Type the number shown on the computer</label>
<input id="code-input" name="code" inputmode="numeric" pattern="[0-9]{2}" maxlength="2" autocomplete="one-time-code">
</div>
<p id="confirm-countdown" class="countdown" aria-live="off"></p>
<div class="decision-buttons">
<button id="reject" class="button decide" type="button">Reject</button>
<button id="confirm" class="button decide" type="submit">Confirm</button>
</div>
<button id="report" class="button secondary report" type="button">This wasn't me</button>
</form>
</section>

${phoneAccountsMarkup(userId)}

<section id="result-screen" class="screen" hidden>
<p id="result" class="result" role="status"></p>
<button id="scan-again" class="button" type="button">Scan another code</button>
</section>

<section id="logins" class="logins" aria-labelledby="logins-title">
<h2 id="logins-title">Where you're signed in</h2>
<p id="logins-status" class="hint" role="status">Loading…</p>
<ul id="login-list" class="login-list"></ul>
<button id="end-all" class="button secondary" type="button" hidden>End all</button>
</section>
</main>`,
  });
}
