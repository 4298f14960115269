/**
 * The element's stylesheet. Applied through a constructable stylesheet (`adoptedStyleSheets`),
 * which a Content-Security-Policy without `'unsafe-inline'` allows, unlike `<style>` or `style=""`.
 *
 * Theming: `::part(container | qr | code | status | countdown | refresh)` and the custom
 * properties `--qr-login-size`, `--qr-login-dark`, `--qr-login-light`, `--qr-login-gap`,
 * `--qr-login-radius`, `--qr-login-scanned-opacity`.
 *
 * @example
 * // host page stylesheet
 * // qr-login { --qr-login-size: 200px; } qr-login::part(refresh) { border-radius: 999px; }
 */
export const ELEMENT_CSS = `
:host{display:inline-block;max-width:100%}
:host([hidden]),[hidden]{display:none!important}
[part=container]{display:flex;flex-direction:column;align-items:center;gap:var(--qr-login-gap,.75rem);text-align:center}
[part=qr]{box-sizing:border-box;width:var(--qr-login-size,256px);height:var(--qr-login-size,256px);max-width:100%;background:var(--qr-login-light,#fff);border-radius:var(--qr-login-radius,8px);overflow:hidden;transition:opacity .2s}
[part=qr] svg{display:block;width:100%;height:100%}
[part=qr] rect{fill:var(--qr-login-light,#fff)}
[part=qr] path{fill:var(--qr-login-dark,#000)}
:host(:not([state=pending])) [part=qr]{opacity:var(--qr-login-scanned-opacity,.15)}
[part=code]{margin:0;font-size:2.5em;font-weight:700;letter-spacing:.15em;font-variant-numeric:tabular-nums}
[part=status],[part=countdown]{margin:0}
[part=countdown]{font-size:.875em;opacity:.75;font-variant-numeric:tabular-nums}
[part=refresh]{font:inherit;padding:.5em 1em;cursor:pointer}
@media (prefers-reduced-motion:reduce){[part=qr]{transition:none}}
`;
