/**
 * The `<script>` build's stand-in for `load-ways-in.ts`: one file cannot load a chunk, so the view
 * of the other ways in ships as a second script, `qr-login-ways-in.iife.js`, which registers itself
 * under a registry symbol. Without that script the element simply offers the QR alone.
 *
 * @example
 * // <script src="qr-login.iife.js"></script><script src="qr-login-ways-in.iife.js"></script>
 */
import type * as View from './ways-in-view.js';

/** Where `qr-login-ways-in.iife.js` puts the view. */
export const WAYS_IN_GLOBAL = Symbol.for('@qrlogin/browser.waysIn');

/** @example loadWaysIn().then((view) => view.showWaysIn(element, qrBox, client, qrPayload, true)); */
export const loadWaysIn = (): Promise<typeof View> => {
  const view = (globalThis as Record<symbol, typeof View | undefined>)[WAYS_IN_GLOBAL];
  return view ? Promise.resolve(view) : Promise.reject(new Error('qr-login-ways-in.iife.js is not loaded'));
};
