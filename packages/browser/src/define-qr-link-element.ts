/**
 * `<qr-link-device>`: the "Link a new phone" panel of a signed-in page. Shows the link QR, then
 * "Phone '<label>' wants to sign in as you" with an input for the code the phone shows, and says
 * how it ended. Styled by a constructable stylesheet only, so a strict CSP holds.
 */
import { isQrLoginError, QrLoginError, type StatusSnapshot } from '@qrlogin/protocol';
import type { QrLoginClientOptions } from './client-options.js';
import { ELEMENT_CSS } from './element-styles.js';
import { type QrLinkStrings, resolveLinkStrings } from './i18n/link-strings.js';
import { formatString } from './i18n/strings.js';
import { createLinkSession, type LinkSession } from './link-session.js';
import { renderQrSvg } from './render-qr.js';
import { constructableSheet, makePart } from './shadow-parts.js';

/** The `<qr-link-device>` element's own API. */
export interface QrLinkElement extends HTMLElement {
  /** Text overrides on top of the built-in strings of the element's language. */
  strings: Partial<QrLinkStrings> | undefined;
  /** The current link session. */
  readonly session: LinkSession | undefined;
  /** Starts over with a fresh link code. */
  refresh(): void;
}

type Status = Exclude<keyof QrLinkStrings, 'qrLabel' | 'codeLabel' | 'confirm' | 'reject' | 'refresh'>;

const LINK_CSS = `${ELEMENT_CSS}
[part=form]{display:flex;flex-wrap:wrap;gap:.5em;align-items:center;justify-content:center}
[part=input]{font:inherit;font-size:1.5em;width:3.5em;text-align:center;letter-spacing:.15em;font-variant-numeric:tabular-nums}
[part=confirm],[part=reject]{font:inherit;padding:.5em 1em;cursor:pointer}
`;

/**
 * Defines `<qr-link-device>` (or `tagName`) and returns its class. Attributes: `base-url`
 * (default `/qrlogin`), `transport`, `lang`. Reflects the link's state in `state`. Events (bubbling,
 * composed): `qrlink-state` (the snapshot), `qrlink-linked` (the phone was linked), `qrlink-error`
 * (`{ code, message }`, e.g. `CODE_MISMATCH`, `UNAUTHENTICATED` when the page is signed out).
 *
 * @example
 * import { defineQrLinkElement } from '@qrlogin/browser/link';
 * defineQrLinkElement();
 * // <qr-link-device base-url="/qrlogin" lang="ja"></qr-link-device>
 */
export function defineQrLinkElement(
  options: { tagName?: string; client?: Omit<QrLoginClientOptions, 'baseUrl'> } = {},
): CustomElementConstructor {
  const tagName = options.tagName ?? 'qr-link-device';
  const existing = customElements.get(tagName);
  if (existing) return existing;
  const sheet = constructableSheet(LINK_CSS);

  class Element extends HTMLElement implements QrLinkElement {
    static observedAttributes = ['base-url', 'transport', 'lang'];
    #session: LinkSession | undefined;
    #strings: Partial<QrLinkStrings> | undefined;
    #status: Status = 'loading';
    #label = '';
    readonly #qr = makePart('div', 'qr');
    readonly #statusBox = makePart('p', 'status');
    readonly #form = makePart('form', 'form');
    readonly #codeLabel = makePart('label', 'label');
    readonly #input = makePart('input', 'input');
    readonly #confirm = makePart('button', 'confirm');
    readonly #reject = makePart('button', 'reject');
    readonly #refresh = makePart('button', 'refresh');

    constructor() {
      super();
      const root = this.attachShadow({ mode: 'open' });
      if (sheet) root.adoptedStyleSheets = [sheet];
      this.#statusBox.setAttribute('role', 'status');
      this.#statusBox.setAttribute('aria-atomic', 'true');
      this.#input.id = 'code';
      this.#codeLabel.htmlFor = 'code';
      Object.assign(this.#input, { inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 2, required: true });
      this.#input.pattern = '[0-9]{2}';
      this.#confirm.type = 'submit';
      this.#reject.type = 'button';
      this.#refresh.type = 'button';
      this.#form.addEventListener('submit', (event) => {
        event.preventDefault();
        void this.#answer(() => this.#session?.confirm(this.#input.value.trim()));
      });
      this.#reject.addEventListener('click', () => void this.#answer(() => this.#session?.reject()));
      this.#refresh.addEventListener('click', () => this.refresh());
      this.#form.append(this.#codeLabel, this.#input, this.#confirm, this.#reject);
      const container = makePart('div', 'container');
      container.append(this.#qr, this.#statusBox, this.#form, this.#refresh);
      root.append(container);
    }

    get strings() {
      return this.#strings;
    }
    set strings(value) {
      this.#strings = value;
      this.#render();
    }
    get session() {
      return this.#session;
    }

    connectedCallback(): void {
      if (!this.#session) this.refresh();
    }

    disconnectedCallback(): void {
      queueMicrotask(() => {
        if (!this.isConnected) this.#stop();
      });
    }

    attributeChangedCallback(name: string, previous: string | null, value: string | null): void {
      if (previous === value) return;
      if (name === 'lang') this.#render();
      else if (this.#session) this.refresh();
    }

    refresh(): void {
      this.#stop();
      this.#qr.replaceChildren();
      this.#show('loading');
      const session = createLinkSession({
        ...options.client,
        baseUrl: this.getAttribute('base-url') || '/qrlogin',
        transport: (this.getAttribute('transport') || 'auto') as QrLoginClientOptions['transport'],
      });
      this.#session = session;
      session.on('session', ({ qrPayload }) => {
        this.#qr.replaceChildren(renderQrSvg(qrPayload, { label: this.#text().qrLabel }));
      });
      session.on('state', (snapshot) => this.#onState(snapshot));
      session.on('error', (error, { fatal }) => {
        if (fatal) this.#failed(error);
      });
      session.start().catch(() => {});
    }

    #stop(): void {
      // A link QR that left the page must stop working at once.
      this.#session?.cancel().catch(() => {});
      this.#session?.destroy();
      this.#session = undefined;
    }

    async #answer(call: () => Promise<StatusSnapshot> | undefined): Promise<void> {
      this.#confirm.disabled = this.#reject.disabled = true;
      try {
        await call();
      } catch (error) {
        const failure = isQrLoginError(error) ? error : new QrLoginError('NETWORK_ERROR', String(error));
        this.#failed(failure, failure.code === 'CODE_MISMATCH' ? 'mismatch' : 'error');
      } finally {
        this.#confirm.disabled = this.#reject.disabled = false;
      }
    }

    #onState(snapshot: StatusSnapshot): void {
      const { state } = snapshot;
      this.setAttribute('state', state);
      this.dispatchEvent(new CustomEvent('qrlink-state', { detail: snapshot, bubbles: true, composed: true }));
      if (state === 'scanned') {
        this.#label = snapshot.label ?? '';
        this.#input.value = '';
        this.#show('scanned');
        this.#input.focus();
      } else if (state === 'confirmed' || state === 'redeemed') {
        if (this.#status !== 'linked') {
          this.dispatchEvent(new CustomEvent('qrlink-linked', { detail: snapshot, bubbles: true, composed: true }));
        }
        this.#show('linked');
      } else if (state === 'rejected') {
        this.#show(snapshot.reason === 'code-mismatch' ? 'mismatch' : 'rejected');
      } else if (state !== 'pending' || this.#status === 'loading') {
        this.#show(state === 'pending' ? 'pending' : state);
      }
    }

    #failed(error: QrLoginError, status: Status = 'error'): void {
      this.#show(status);
      const detail = { code: error.code, message: error.message };
      this.dispatchEvent(new CustomEvent('qrlink-error', { detail, bubbles: true, composed: true }));
    }

    #text(): QrLinkStrings {
      const lang = this.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
      return resolveLinkStrings(lang, this.#strings);
    }

    #show(status: Status): void {
      this.#status = status;
      this.#render();
    }

    #render(): void {
      const text = this.#text();
      const announce = formatString(text[this.#status], { label: this.#label });
      if (this.#statusBox.textContent !== announce) this.#statusBox.textContent = announce;
      this.#codeLabel.textContent = text.codeLabel;
      this.#confirm.textContent = text.confirm;
      this.#reject.textContent = text.reject;
      this.#refresh.textContent = text.refresh;
      this.#form.hidden = this.#status !== 'scanned';
      this.#qr.hidden = this.#status !== 'pending';
      this.#refresh.hidden = ['loading', 'pending', 'scanned', 'linked'].includes(this.#status);
      this.#qr.querySelector('svg')?.setAttribute('aria-label', text.qrLabel);
    }
  }

  customElements.define(tagName, Element);
  return Element;
}
