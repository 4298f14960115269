/**
 * What the custom elements share to build their shadow DOM: parts named for `::part()` styling, and
 * one constructable stylesheet per element class (the only styling a strict CSP allows).
 */

/**
 * An element carrying `part="<part>"`, so a page can style it from outside with `::part(<part>)`.
 *
 * @example
 * const status = makePart('p', 'status');
 */
export function makePart<K extends keyof HTMLElementTagNameMap>(tag: K, part: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.setAttribute('part', part);
  return node;
}

/**
 * A stylesheet holding `css` to adopt into every shadow root of an element class, or `undefined`
 * in engines without constructable stylesheets.
 *
 * @example
 * const sheet = constructableSheet(ELEMENT_CSS);
 * if (sheet) root.adoptedStyleSheets = [sheet];
 */
export function constructableSheet(css: string): CSSStyleSheet | undefined {
  if (!('adoptedStyleSheets' in ShadowRoot.prototype && 'replaceSync' in CSSStyleSheet.prototype)) return undefined;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}
