/**
 * Loads the view of the other ways in (open in app, short code, TV layout) on demand. Bundlers
 * split it into a chunk of its own; the `<script>` build, which cannot split, swaps this module
 * for `load-ways-in-global.ts` (see tsup.config.ts).
 *
 * @example
 * loadWaysIn().then((view) => view.showWaysIn(element, qrBox, client, qrPayload, true));
 */
export const loadWaysIn = (): Promise<typeof import('./ways-in-view.js')> => import('./ways-in-view.js');
