/**
 * The fixture most e2e files share: one headless Chromium for the file, and for every test a fresh
 * demo host app plus the browser contexts the test names (each its own cookies), all closed after
 * the test. Call it inside a `describe`; read the fields inside tests, once the hooks have run.
 */
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Demo, DemoOptions } from '../../examples/demo/src/server.js';
import { launchChromium } from './chromium.js';
import { startTestDemo } from './demo-server.js';

/** What {@link demoInChromium} gives a test: the browser, the demo, and one context per name. */
export type DemoInChromium<Names extends string> = { readonly browser: Browser; readonly demo: Demo } & {
  readonly [name in Names]: BrowserContext;
};

/**
 * @example
 * describe.skipIf(skipWithoutChromium)('the login page', () => {
 *   const x = demoInChromium({ desktop: {}, handset: { isMobile: true, hasTouch: true } });
 *   it('signs in', async () => {
 *     const page = await x.desktop.newPage();
 *     await page.goto(x.demo.url);
 *   });
 * });
 */
export function demoInChromium<Names extends string>(
  contexts: Record<Names, BrowserContextOptions>,
  demoOptions: DemoOptions = {},
): DemoInChromium<Names> {
  const fixture: Record<string, unknown> = {};
  const opened: BrowserContext[] = [];
  beforeAll(async () => {
    fixture.browser = await launchChromium();
  });
  afterAll(async () => {
    await (fixture.browser as Browser | undefined)?.close();
  });
  beforeEach(async () => {
    fixture.demo = await startTestDemo(demoOptions);
    for (const [name, options] of Object.entries<BrowserContextOptions>(contexts)) {
      const context = await (fixture.browser as Browser).newContext(options);
      opened.push(context);
      fixture[name] = context;
    }
  });
  afterEach(async () => {
    for (const context of opened.splice(0)) await context.close();
    await (fixture.demo as Demo | undefined)?.close();
  });
  return fixture as DemoInChromium<Names>;
}
