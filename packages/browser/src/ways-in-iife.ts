/**
 * The `<script>` build of the other ways in (open in app, "Can't scan?", `layout="tv"`): load it
 * after `qr-login.iife.js` on pages that want them.
 *
 * @module
 */
import { WAYS_IN_GLOBAL } from './load-ways-in-global.js';
import * as view from './ways-in-view.js';

(globalThis as Record<symbol, unknown>)[WAYS_IN_GLOBAL] = view;
