/**
 * The ways in besides the camera, added to `<qr-login>` on demand (the element imports this module
 * lazily, so pages that need none of it never load it): "Open in app" on a phone, the "Can't scan?"
 * short code, and the large TV layout. Text nodes only; styles through a constructable stylesheet,
 * so it works under the same strict Content-Security-Policy as the element.
 */
import { formatShortCode, isShortCode } from '@qrlogin/protocol';
import type { QrLoginClient } from './client.js';
import { formatString } from './i18n/strings.js';
import { type QrLoginWaysInStrings, waysInStrings } from './i18n/ways-in.js';

const CSS = `
[part=open-app]{font:inherit;padding:.6em 1.4em;border-radius:999px;background:var(--qr-login-accent,#1a56db);color:#fff;text-decoration:none}
[part=cant-scan]{font:inherit;background:none;border:0;padding:.25em;color:inherit;text-decoration:underline;cursor:pointer}
[part=short-code-box]{display:flex;flex-direction:column;align-items:center;gap:.25em}
[part=short-code-hint],[part=short-code]{margin:0}
[part=short-code]{font:700 2em ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.12em}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
:host(:not([state=pending])) [part=short-code-box]{opacity:.15}
:host(:not([state=pending])) :is([part=open-app],[part=cant-scan]),:host(:not([state=pending]):not([state=scanned])) [part=short-code-box]{display:none}
:host([layout=tv]){display:block}
:host([layout=tv]) [part=container]{font-size:clamp(1.25rem,3vmin,3rem)}
:host([layout=tv]) [part=qr]{width:min(55vh,60vw);height:min(55vh,60vw)}
:host([layout=tv]) [part=short-code]{font-size:clamp(3rem,11vmin,9rem)}
`;

interface View {
  link: HTMLAnchorElement;
  button: HTMLButtonElement;
  /** Always in the document: a live region that appears already filled would not be announced. */
  box: HTMLElement;
  /** Makes a click from an older session's button (or answer) a no-op. */
  payload: string;
}

const views = new WeakMap<HTMLElement, View>();
let sheet: CSSStyleSheet | undefined;

function part<K extends keyof HTMLElementTagNameMap>(tag: K, name: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute('part', name);
  return node;
}

function build(root: ShadowRoot, qrBox: HTMLElement): View {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!sheet) {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
    }
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  }
  const view: View = {
    link: part('a', 'open-app'),
    button: part('button', 'cant-scan'),
    box: part('div', 'short-code-box'),
    payload: '',
  };
  view.button.type = 'button';
  view.box.setAttribute('role', 'status');
  view.box.setAttribute('aria-live', 'polite');
  qrBox.after(view.link, view.button, view.box);
  return view;
}

/** `K7M2-Q9RT` as a screen reader should say it: symbol by symbol, the two groups apart. */
function spoken(grouped: string): string {
  return grouped
    .split('-')
    .map((group) => group.split('').join(' '))
    .join(', ');
}

function showCode(view: View, text: QrLoginWaysInStrings, app: string, shortCode: string): void {
  const grouped = formatShortCode(shortCode);
  const hint = part('p', 'short-code-hint');
  hint.textContent = formatString(text.enterCode, { app });
  const code = part('p', 'short-code');
  const shown = document.createElement('span');
  shown.setAttribute('aria-hidden', 'true');
  shown.textContent = grouped;
  const said = document.createElement('span');
  said.className = 'sr';
  said.textContent = formatString(text.codeSpoken, { code: spoken(grouped) });
  code.append(shown, said);
  view.box.replaceChildren(hint, code);
}

/**
 * Shows (or updates, on every new session) the element's other ways in: the "Open in app" link when
 * `mobile`, and the short code — at once with `layout="tv"`, behind a "Can't scan?" button with the
 * `short-code` attribute.
 *
 * @example
 * showWaysIn(element, root.querySelector('[part=qr]'), client, session.qrPayload, isMobileDevice());
 */
export function showWaysIn(
  element: HTMLElement & { strings?: Partial<QrLoginWaysInStrings> | undefined },
  qrBox: HTMLElement,
  client: QrLoginClient,
  qrPayload: string,
  mobile: boolean,
): void {
  const root = element.shadowRoot;
  if (!root) return;
  let view = views.get(element);
  if (!view) {
    view = build(root, qrBox);
    views.set(element, view);
  }
  const current = view;
  current.payload = qrPayload;
  const lang = element.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang;
  const text = waysInStrings(lang, element.strings);
  const app = element.getAttribute('app-name') || text.theApp;
  const tv = element.getAttribute('layout') === 'tv';
  // The QR payload is an https URL on the site: a Universal Link / App Link opens it in the app.
  current.link.href = qrPayload;
  current.link.textContent = text.openInApp;
  current.link.hidden = !mobile;
  current.button.textContent = text.cantScan;
  current.button.hidden = tv || !element.hasAttribute('short-code');
  current.box.replaceChildren();
  const reveal = (): void => {
    current.button.hidden = true;
    client.shortCode().then(
      ({ shortCode }) => {
        if (current.payload === qrPayload && isShortCode(shortCode)) showCode(current, text, app, shortCode);
      },
      () => {
        // The session moved on (scanned, expired): the next session brings its own button.
        if (current.payload === qrPayload) current.button.hidden = tv;
      },
    );
  };
  current.button.onclick = reveal;
  if (tv) reveal();
}
