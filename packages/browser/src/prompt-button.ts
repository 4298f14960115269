/**
 * "Send a prompt to my phone" for `<qr-login>`: a linked browser (one that signed in before and
 * holds a prompt token) asks the server to reach the user's phone instead of showing a QR to scan.
 * Kept out of the element so pages without linked browsers do not carry it.
 */
import type { QrLoginElement, QrLoginErrorDetail } from './define-qr-login-element.js';
import { PROMPT_LOCALES, type PromptStrings } from './i18n/prompt-strings.js';
import { pickLocale } from './i18n/resolve-strings.js';

/** Options of {@link addPromptButton}. */
export interface PromptButtonOptions {
  /**
   * The browser's prompt token. Leave it out when the host keeps it in the HttpOnly cookie
   * `qr.promptCookie()` sets (recommended: no script on the page can read it).
   * @default undefined (the cookie)
   */
  token?: string;
  /** Text overrides on top of the built-in strings of the element's language. @default {} */
  strings?: Partial<PromptStrings>;
}

const CSS = '[part=prompt]{font:inherit;padding:.5em 1em;cursor:pointer}[part=prompt-status]{margin:0}';

/**
 * Adds a "Send a prompt to my phone" button to a `<qr-login>` element. A click replaces the QR
 * session with a prompt session: the phone gets it through the host's `promptDevices` hook, and the
 * element shows the number to type there as for a scan. Refused for push fatigue or for a dead
 * token, the element falls back to a fresh QR and says why (a dead token also hides the button).
 * Returns a function that removes the button. Text nodes only; styled through `adoptedStyleSheets`,
 * so it works under a strict Content-Security-Policy.
 *
 * @example
 * import '@qrlogin/browser/element';
 * import { addPromptButton } from '@qrlogin/browser/prompt';
 * // the host rendered <qr-login prompt …> because this browser signed in before
 * const element = document.querySelector('qr-login');
 * if (element?.hasAttribute('prompt')) addPromptButton(element);
 */
export function addPromptButton(element: QrLoginElement, options: PromptButtonOptions = {}): () => void {
  const root = element.shadowRoot as ShadowRoot;
  const button = document.createElement('button');
  const status = document.createElement('p');
  button.type = 'button';
  button.setAttribute('part', 'prompt');
  status.setAttribute('part', 'prompt-status');
  // Its own live region: the element's status line keeps announcing the session's state.
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  if ('adoptedStyleSheets' in root) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  (root.querySelector('[part=container]') ?? root).append(button, status);

  let note: keyof PromptStrings | undefined;
  let waiting = false;
  const text = (): PromptStrings => {
    const lang = element.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
    return { ...PROMPT_LOCALES[pickLocale(lang)], ...options.strings };
  };
  const render = () => {
    const strings = text();
    button.textContent = strings.button;
    status.textContent = note ? strings[note] : '';
    status.hidden = !note;
  };
  const say = (key: keyof PromptStrings | undefined) => {
    note = key;
    render();
  };

  const onClick = () => {
    waiting = true;
    say('sending');
    element.refresh(options.token ?? true);
  };
  const onState = (event: Event) => {
    const { state } = (event as CustomEvent<{ state: string }>).detail;
    if (waiting && state === 'pending') say('sent');
    else if (state !== 'pending' && state !== 'scanned') say(undefined);
    waiting = false;
  };
  const onError = (event: Event) => {
    const { code } = (event as CustomEvent<QrLoginErrorDetail>).detail;
    if (code !== 'PROMPT_LIMITED' && code !== 'PROMPT_INVALID') return;
    waiting = false;
    if (code === 'PROMPT_INVALID') button.hidden = true;
    say(code === 'PROMPT_LIMITED' ? 'limited' : 'invalid');
    // Every way in stays open: the same page falls back to the QR at once.
    element.refresh();
  };
  button.addEventListener('click', onClick);
  element.addEventListener('qrlogin-state', onState);
  element.addEventListener('qrlogin-error', onError);
  render();
  return () => {
    button.remove();
    status.remove();
    element.removeEventListener('qrlogin-state', onState);
    element.removeEventListener('qrlogin-error', onError);
  };
}
