/**
 * The fixture most e2e files share: one headless Chromium for the file, and for every test a fresh
 * demo host app plus the browser contexts the test names (each its own cookies), all closed after
 * the test. Call it inside a `describe`; read the fields inside tests, once the hooks have run.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { type Demo, type DemoOptions, SESSION_COOKIE } from '../../examples/demo/src/server.js';
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

/**
 * The demo host's own answer to "who is this browser?" (`GET /me`'s status), asked with the page's
 * session cookie but from outside the page: a signed-out page navigates back to the QR on its own,
 * and an `evaluate` in flight when that happens dies with "Execution context was destroyed".
 * Throws when the browser holds no session cookie, since a 401 then would prove nothing about the
 * server.
 */
export async function hostSessionStatus(page: Page): Promise<number> {
  const url = new URL('/me', page.url());
  const cookie = (await page.context().cookies(url.href)).find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error(`this browser holds no ${SESSION_COOKIE} cookie to ask /me with`);
  const response = await fetch(url, { headers: { cookie: `${cookie.name}=${cookie.value}` }, redirect: 'manual' });
  return response.status;
}
