/**
 * The whole login under the demo's strict Content-Security-Policy (no `'unsafe-inline'` for
 * scripts or styles, nothing from other origins) must not trip a single violation, on the login
 * page or on the signed-in page it leads to, and must log no console error.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, STRICT_CSP } from '../examples/demo/src/server.js';
import {
  launchChromium,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { newNodePhone, startTestDemo } from './helpers/demo-server.js';

describe.skipIf(skipWithoutChromium)('strict CSP', () => {
  let browser: Browser;
  let demo: Demo;

  beforeAll(async () => {
    browser = await launchChromium();
    demo = await startTestDemo({ csp: true });
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('a full login raises zero securitypolicyviolation events and zero console errors', async () => {
    expect(STRICT_CSP).toContain("script-src 'self'");
    expect(STRICT_CSP).toContain("style-src 'self'");
    expect(STRICT_CSP).not.toContain('unsafe-inline');
    const context = await browser.newContext();
    const page = await context.newPage();
    const log = await recordPageEvents(page);

    const response = await page.goto(demo.url);
    expect(response?.headers()['content-security-policy']).toBe(STRICT_CSP);
    const { text } = await readQrFromWidget(page);
    // The element's styles (constructable stylesheet) really apply: the QR box has its size.
    const box = await page.locator('qr-login [part="qr"]').boundingBox();
    expect(box?.width).toBe(256);

    const phone = await newNodePhone(demo);
    const request = await phone.scan(text);
    const code = await readCodeFromWidget(page);
    const signedInPage = page.waitForResponse((r) => r.url() === `${demo.url}/` && r.request().isNavigationRequest());
    await request.confirm({ code });
    expect((await signedInPage).headers()['content-security-policy']).toBe(STRICT_CSP);
    await page.locator('h1.signed-in').waitFor();

    const types = (await log.events()).map((event) => event.type);
    expect(types.filter((type) => type.startsWith('csp:'))).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)).toEqual([]);
    expect(types).toContain('qrlogin-login');
    expect(log.errors).toEqual([]);

    // The recorder is live, so the zero above means something: an inline style attribute is caught.
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations))
      .toEqual([expect.stringMatching(/^style-src-attr /)]);
    await context.close();
  });
});
