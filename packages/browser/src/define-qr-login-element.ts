import { errorFromBody, isQrLoginError, QrLoginError, type StatusSnapshot } from '@qrlogin/protocol';
import { createQrLoginClient, type QrLoginClient } from './client.js';
import type { QrLoginClientOptions } from './client-options.js';
import { ELEMENT_CSS } from './element-styles.js';
import { resolveStrings } from './i18n/resolve-strings.js';
import { formatString, type QrLoginStrings } from './i18n/strings.js';
import type { QrLoginWaysInStrings } from './i18n/ways-in.js';
import { isMobileDevice } from './is-mobile.js';
import { loadWaysIn } from './load-ways-in.js';
import { isMisconfiguration } from './misconfiguration.js';
import { renderQrSvg } from './render-qr.js';
import { constructableSheet, makePart } from './shadow-parts.js';

/** The `<qr-login>` element's own API, on top of `HTMLElement`'s. */
export interface QrLoginElement extends HTMLElement {
  /** Text overrides on top of the built-in strings of the element's language. */
  strings: Partial<QrLoginStrings & QrLoginWaysInStrings> | undefined;
  /** The client of the current session (for `cancel()` or extra listeners). */
  readonly client: QrLoginClient | undefined;
  /** Starts over with a fresh session: what the refresh button does. `prompt`: see `QrLoginClient.refresh`. */
  refresh(prompt?: string | true): void;
}

/** Options of {@link defineQrLoginElement}. */
export interface DefineQrLoginElementOptions {
  /** @default 'qr-login' */
  tagName?: string;
  /**
   * Extra client options for every instance (e.g. `rotate`); `baseUrl` and `transport` come from attributes.
   * @default {}
   */
  client?: Omit<QrLoginClientOptions, 'baseUrl'>;
}

/** Detail of the `qrlogin-error` event. */
export interface QrLoginErrorDetail {
  code: QrLoginError['code'];
  message: string;
}

type StatusKey = Exclude<keyof QrLoginStrings, 'qrLabel' | 'countdown' | 'refresh'>;

const LIVE_STATES = ['pending', 'scanned'];

// Where a defined class keeps the client options it was defined with. A registry symbol, not a
// module variable: the `<script>` build and an ES module copy of this file must see each other's.
const DEFINED_WITH = Symbol.for('@qrlogin/browser.elementClientOptions');

/** Same value: identical, or plain objects / arrays whose entries are the same values. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

// Waits before posting the login again after a 503 or a network failure: well inside the server's
// 30 s window in which a redemption written despite a 503 can still be taken by the same secret.
const REDEEM_RETRY_DELAYS_MS = [1000, 2000, 4000];

/**
 * Posts the confirmed login to the host's redeem route, again after a `503` or a network failure:
 * `qr.redeem()` answers a retry with the same secret with the redemption an earlier, failed call
 * wrote, so retrying is what signs the user in after a store blip.
 */
async function postLogin(url: string, login: { sessionId: string; browserSecret: string }): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    const delay = REDEEM_RETRY_DELAYS_MS[attempt];
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(login),
        credentials: 'same-origin',
      });
      if (response.status !== 503 || delay === undefined) return response;
    } catch (error) {
      if (delay === undefined) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * Defines `<qr-login>` (or `tagName`) and returns its class. The class is only built here, so
 * importing the package on a server (no `HTMLElement`) is safe.
 *
 * One definition per tag: `import '@qrlogin/browser/element'` (or the `<script>` build) defines
 * `<qr-login>` with no client options. To pass options, call this function instead of importing
 * that entry, before the element is used. Calling it again for a defined tag returns the class
 * when the options are the same (or none are given), and throws a `TypeError` when they differ:
 * a custom element cannot be defined twice, so the new options could never take effect.
 *
 * Attributes: `base-url` (default `/qrlogin`), `redeem-url` (the host's route that redeems and
 * sets its session cookie), `redirect` (where to go once signed in), `transport`
 * (`auto` | `websocket` | `poll`), `lang` (else the nearest ancestor's, else the document's).
 * Other ways in (loaded on demand): `short-code` (a "Can't scan?" button revealing the session's short
 * code), `layout="tv"` (QR and code large, at once), `app-name`; on a phone, an "Open in app" link.
 * The element reflects the session state in its `state` attribute. Removing it from the document
 * cancels its session (moving it within the document does not).
 *
 * Events (all bubble and cross the shadow boundary): `qrlogin-state` (detail: the snapshot),
 * `qrlogin-login` (detail: the redeem route's JSON; cancelable, cancelling skips `redirect`),
 * `qrlogin-confirmed` (only without `redeem-url`; detail `{ sessionId, browserSecret }` to redeem
 * yourself), `qrlogin-error` (detail `{ code, message }`).
 *
 * @example
 * defineQrLoginElement();
 * // <qr-login base-url="/qrlogin" redeem-url="/login/qr" redirect="/account" lang="ja"></qr-login>
 * document.querySelector('qr-login')?.addEventListener('qrlogin-login', (event) => console.log(event.detail));
 */
export function defineQrLoginElement(options: DefineQrLoginElementOptions = {}): CustomElementConstructor {
  const tagName = options.tagName ?? 'qr-login';
  const existing = customElements.get(tagName);
  if (existing) {
    const definedWith = (existing as unknown as Record<symbol, unknown>)[DEFINED_WITH];
    if (options.client === undefined || sameValue(options.client ?? {}, definedWith)) return existing;
    throw new TypeError(
      `defineQrLoginElement: option "client" differs from the options <${tagName}> was already defined with ` +
        `(importing "@qrlogin/browser/element" or the <script> build defines <qr-login> with none). ` +
        'Call defineQrLoginElement(options) instead of importing that entry, or pass another "tagName".',
    );
  }

  const sheet = constructableSheet(ELEMENT_CSS);

  class Element extends HTMLElement implements QrLoginElement {
    static observedAttributes = ['base-url', 'transport', 'lang'];

    #client: QrLoginClient | undefined;
    #strings: Partial<QrLoginStrings & QrLoginWaysInStrings> | undefined;
    #status: StatusKey = 'loading';
    #code: string | undefined;
    #expiresAt = 0;
    #ticker: ReturnType<typeof setInterval> | undefined;
    readonly #qr = makePart('div', 'qr');
    readonly #codeBox = makePart('p', 'code');
    readonly #statusBox = makePart('p', 'status');
    readonly #countdown = makePart('p', 'countdown');
    readonly #button = makePart('button', 'refresh');

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      if (sheet) root.adoptedStyleSheets = [sheet];
      else {
        // Old engines only; a strict CSP blocks this, which leaves the element unstyled but working.
        const style = document.createElement('style');
        style.textContent = ELEMENT_CSS;
        root.append(style);
      }
      this.#statusBox.setAttribute('role', 'status');
      this.#statusBox.setAttribute('aria-atomic', 'true');
      // The live region already says the number; reading it twice would only confuse.
      this.#codeBox.setAttribute('aria-hidden', 'true');
      this.#countdown.setAttribute('aria-hidden', 'true');
      this.#button.type = 'button';
      this.#button.addEventListener('click', () => this.refresh());
      const container = makePart('div', 'container');
      container.append(this.#qr, this.#codeBox, this.#statusBox, this.#countdown, this.#button);
      root.append(container);
    }

    get strings() {
      return this.#strings;
    }
    set strings(value) {
      this.#strings = value;
      this.#render();
    }
    get client() {
      return this.#client;
    }

    connectedCallback(): void {
      if (!this.#client) this.#start();
      this.#render();
    }

    disconnectedCallback(): void {
      // A move within the document disconnects and reconnects at once: keep the session then.
      queueMicrotask(() => {
        if (!this.isConnected) this.#stop();
      });
    }

    attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
      if (previous === value) return;
      if (name === 'lang') this.#render();
      else if (this.#client) this.#start();
    }

    refresh(prompt?: string | true): void {
      if (!this.#client) {
        this.#start();
        return;
      }
      this.#show('loading');
      this.#client.refresh(prompt).catch(() => {});
    }

    #stop(): void {
      // A QR that left the page must stop working at once, not when its TTL runs out.
      this.#client?.cancel().catch(() => {});
      this.#client?.destroy();
      this.#client = undefined;
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }

    #start(): void {
      this.#stop();
      this.#qr.replaceChildren();
      this.#show('loading');
      let client: QrLoginClient;
      try {
        client = createQrLoginClient({
          ...options.client,
          baseUrl: this.getAttribute('base-url') || '/qrlogin',
          transport: (this.getAttribute('transport') || 'auto') as QrLoginClientOptions['transport'],
        });
      } catch (error) {
        this.#failed(new QrLoginError('INVALID_REQUEST', String((error as Error).message)));
        return;
      }
      this.#client = client;
      client.on('session', (session) => {
        this.#expiresAt = session.localExpiresAt;
        this.#qr.replaceChildren(renderQrSvg(session.qrPayload, { label: this.#text().qrLabel }));
        this.#ticker ??= setInterval(() => this.#render(), 1000);
        this.#waysIn(client, session.qrPayload);
      });
      client.on('state', (snapshot) => this.#onState(snapshot));
      client.on('expired', ({ rotating }) => {
        this.setAttribute('state', 'expired');
        this.#qr.replaceChildren();
        this.#show(rotating ? 'loading' : 'expired');
      });
      client.on('confirmed', (login) => void this.#redeem(login));
      client.on('error', (error, { fatal }) => {
        if (fatal) this.#failed(error, isMisconfiguration(error) ? 'misconfigured' : 'error');
      });
      client.start().catch(() => {});
    }

    // Open in app, "Can't scan?" and the TV layout load on demand: most pages need none of them.
    #waysIn(client: QrLoginClient, qrPayload: string): void {
      const mobile = isMobileDevice();
      if (!mobile && !this.hasAttribute('layout') && !this.hasAttribute('short-code')) return;
      loadWaysIn().then(
        (view) => client === this.#client && view.showWaysIn(this, this.#qr, client, qrPayload, mobile),
        () => {},
      );
    }

    #onState(snapshot: StatusSnapshot): void {
      this.setAttribute('state', snapshot.state);
      this.#emit('qrlogin-state', snapshot);
      const { state, code } = snapshot;
      this.#code = state === 'scanned' ? code : undefined;
      if (state === 'scanned') this.#show(code ? 'scannedCode' : 'scanned');
      else if (state !== 'expired' && state !== 'redeemed') this.#show(state);
    }

    async #redeem(login: { sessionId: string; browserSecret: string }): Promise<void> {
      const url = this.getAttribute('redeem-url');
      if (!url) return void this.#emit('qrlogin-confirmed', login);
      try {
        const response = await postLogin(url, login);
        const text = await response.text();
        let detail: unknown = null;
        try {
          detail = text ? JSON.parse(text) : null;
        } catch {
          // A non-JSON success body: the event carries null.
        }
        // A host route that passes qrlogin's error body on keeps its code (e.g. ALREADY_REDEEMED).
        if (!response.ok) throw errorFromBody(detail, response.status);
        this.setAttribute('state', 'redeemed');
        this.#show('signedIn');
        const redirect = this.getAttribute('redirect');
        if (this.#emit('qrlogin-login', detail, true) && redirect) {
          const target = new URL(redirect, location.href);
          // Only a web address: a `javascript:` redirect would run script with the page's rights.
          if (target.protocol === 'https:' || target.protocol === 'http:') location.assign(target.href);
        }
      } catch (error) {
        this.#failed(
          isQrLoginError(error) ? error : new QrLoginError('NETWORK_ERROR', 'the redeem route could not be reached'),
          'redeemFailed',
        );
      }
    }

    #failed(error: QrLoginError, status: StatusKey = 'error'): void {
      this.setAttribute('state', 'error');
      this.#show(status);
      const detail: QrLoginErrorDetail = { code: error.code, message: error.message };
      this.#emit('qrlogin-error', detail);
    }

    #emit(type: string, detail: unknown, cancelable = false): boolean {
      return this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable }));
    }

    #text(): QrLoginStrings {
      const lang = this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
      return resolveStrings(lang, this.#strings);
    }

    #show(status: StatusKey): void {
      this.#status = status;
      this.#render();
    }

    /** Writes every text from the current view state, as text nodes only. */
    #render(): void {
      const text = this.#text();
      const state = this.getAttribute('state') ?? '';
      const live = LIVE_STATES.includes(state) && this.#status !== 'loading';
      const announce = formatString(text[this.#status], { code: this.#code ?? '' });
      if (this.#statusBox.textContent !== announce) this.#statusBox.textContent = announce;
      this.#codeBox.textContent = this.#code ?? '';
      this.#codeBox.hidden = !this.#code;
      const seconds = Math.max(0, Math.ceil((this.#expiresAt - Date.now()) / 1000));
      this.#countdown.textContent = formatString(text.countdown, {
        time: `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`,
      });
      this.#countdown.hidden = !live;
      this.#button.textContent = text.refresh;
      this.#button.hidden = live || this.#status === 'loading' || ['confirmed', 'signedIn'].includes(this.#status);
      this.#qr.querySelector('svg')?.setAttribute('aria-label', text.qrLabel);
    }
  }

  Object.defineProperty(Element, DEFINED_WITH, { value: options.client ?? {} });
  customElements.define(tagName, Element);
  return Element;
}
