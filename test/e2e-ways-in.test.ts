/**
 * The ways in besides the camera, in real headless Chromium against the demo host app (strict CSP
 * on): "Open in app" on a phone's browser and not on a desktop, a complete login by short code
 * typed into the real `@qrlogin/app`, a wrong code refused, the TV layout, and the app-site
 * association files.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../examples/demo/src/server.js';
import { QrLoginError } from '../packages/app/src/index.js';
import {
  launchChromium,
  type PageLog,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { newNodePhone, startTestDemo } from './helpers/demo-server.js';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1';
const PIXEL_UA =
  'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Mobile Safari/537.36';

async function cleanLog(log: PageLog): Promise<void> {
  const types = (await log.events()).map((event) => event.type);
  expect(types.filter((type) => type.startsWith('csp:'))).toEqual([]);
  expect(log.errors).toEqual([]);
}

/** The short code as the page shows it, after the "Can't scan?" button (or at once on the TV layout). */
async function shownShortCode(page: Page): Promise<string> {
  const shown = page.locator('qr-login [part="short-code"] span[aria-hidden="true"]');
  await shown.waitFor();
  return (await shown.textContent())?.trim() ?? '';
}

describe.skipIf(skipWithoutChromium)('ways in: open in app, short code, TV layout', () => {
  let browser: Browser;
  let demo: Demo | undefined;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  /** The demo's login page on a desktop browser, its QR shown. */
  async function openDesktopLoginPage(): Promise<{ page: Page; started: Demo }> {
    const started = await startTestDemo();
    demo = started;
    context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(started.url);
    await readQrFromWidget(page);
    return { page, started };
  }

  afterEach(async () => {
    await context?.close();
    await demo?.close();
    context = undefined;
    demo = undefined;
  });

  it.each([
    ['iPhone Safari', IPHONE_UA],
    ['Android Chrome', PIXEL_UA],
  ])(
    '%s: the widget offers "Open in app", linking to the QR URL, which opens the landing page without the app',
    async (_name, userAgent) => {
      demo = await startTestDemo();
      context = await browser.newContext({
        userAgent,
        isMobile: true,
        hasTouch: true,
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
      });
      const page = await context.newPage();
      const log = await recordPageEvents(page);
      const created = page.waitForResponse((r) => r.url() === `${demo?.url}/qrlogin/sessions` && r.status() === 201);
      await page.goto(demo.url);
      const { qrPayload } = (await (await created).json()) as { qrPayload: string };
      const link = page.locator('qr-login [part="open-app"]');
      await link.waitFor({ state: 'visible' });
      expect(await link.textContent()).toBe('Open in app');
      expect(await link.getAttribute('href')).toBe(qrPayload);
      await cleanLog(log);

      // No app installed: the QR URL opens in the browser, on a page that says what to do.
      await link.click();
      await page.waitForURL(qrPayload);
      const landing = (await page.locator('body').textContent()) ?? '';
      expect(landing).toMatch(/Open this code in the app/);
      expect(landing).toMatch(/install/i);
      expect(await page.locator('button, form, input').count()).toBe(0);
    },
  );

  it('desktop: no "Open in app"', async () => {
    const { page } = await openDesktopLoginPage();
    // The view is loaded (the demo offers "Can't scan?"), so an absent link is a decision, not a race.
    await page.locator('qr-login [part="cant-scan"]').waitFor({ state: 'visible' });
    expect(await page.locator('qr-login [part="open-app"]').isVisible()).toBe(false);
  });

  it('a complete login by short code: page shows the code, the app types it, number matching, page signed in', async () => {
    demo = await startTestDemo({ numberMatching: false });
    context = await browser.newContext();
    const page = await context.newPage();
    const log = await recordPageEvents(page);
    await page.goto(demo.url);
    await readQrFromWidget(page);
    await page.locator('qr-login [part="cant-scan"]').click();
    const shown = await shownShortCode(page);
    expect(shown).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    // Screen readers hear it symbol by symbol, in a live region.
    const box = page.locator('qr-login [part="short-code-box"]');
    expect(await box.getAttribute('role')).toBe('status');
    const spoken = shown.replace('-', '').split('');
    expect(await box.locator('.sr').textContent()).toBe(
      `Code: ${spoken.slice(0, 4).join(' ')}, ${spoken.slice(4).join(' ')}`,
    );
    expect(await box.locator('[part="short-code-hint"]').textContent()).toBe(
      'On your phone: open the demo app → Enter code',
    );

    const phone = await newNodePhone(demo);
    const request = await phone.findByCode(shown.toLowerCase().replace('-', ' '));
    // Number matching although the demo runs with it off: the code was typed, not scanned.
    expect(request.codeRequired).toBe(true);
    expect(request.origin).toBe(demo.url);
    expect(request.requester.browser).toMatch(/Chrom/);
    const code = await readCodeFromWidget(page);
    expect((await request.confirm({ code })).state).toBe('confirmed');
    await page.locator('h1.signed-in').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Signed in as ana@example.com');
    await cleanLog(log);
  });

  it('a wrong code is refused as SHORT_CODE_NOT_FOUND and the page keeps waiting', async () => {
    const { page, started } = await openDesktopLoginPage();
    await page.locator('qr-login [part="cant-scan"]').click();
    const shown = (await shownShortCode(page)).replace('-', '');
    const wrong = `${shown.slice(0, 7)}${shown.endsWith('2') ? '3' : '2'}`;
    const phone = await newNodePhone(started);
    const error = await phone.findByCode(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QrLoginError);
    expect((error as QrLoginError).code).toBe('SHORT_CODE_NOT_FOUND');
    const invalid = await phone.findByCode('not-a-code').catch((e: unknown) => e);
    expect((invalid as QrLoginError).code).toBe('INVALID_REQUEST');
    expect(await page.locator('qr-login').getAttribute('state')).toBe('pending');
    // The right code still works after the wrong one.
    expect((await phone.findByCode(shown)).sessionId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('TV layout: QR and short code large at once, no CSP violation', async () => {
    demo = await startTestDemo();
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const log = await recordPageEvents(page);
    await page.goto(`${demo.url}/tv`);
    await readQrFromWidget(page);
    expect(await shownShortCode(page)).toMatch(/^.{4}-.{4}$/);
    expect(await page.locator('qr-login [part="cant-scan"]').isVisible()).toBe(false);
    const fontPx = await page
      .locator('qr-login [part="short-code"]')
      .evaluate((node) => Number.parseFloat(getComputedStyle(node).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(96);
    const qr = await page.locator('qr-login [part="qr"]').boundingBox();
    expect(qr?.width).toBeGreaterThan(500);
    await cleanLog(log);
  });

  it('serves apple-app-site-association and assetlinks.json for the QR path', async () => {
    const fingerprint = Array.from({ length: 32 }, () => 'AB').join(':');
    demo = await startTestDemo({
      appLinks: {
        apple: { appIds: ['ABCDE12345.com.example.demo'] },
        android: { packageName: 'com.example.demo', sha256CertFingerprints: [fingerprint] },
      },
    });
    const aasa = await fetch(`${demo.url}/.well-known/apple-app-site-association`);
    expect(aasa.headers.get('content-type')).toBe('application/json');
    expect(await aasa.json()).toMatchObject({
      applinks: { details: [{ appIDs: ['ABCDE12345.com.example.demo'], components: [{ '/': '/qrlogin/q/*' }] }] },
    });
    const assetlinks = await fetch(`${demo.url}/.well-known/assetlinks.json`);
    expect(assetlinks.headers.get('content-type')).toBe('application/json');
    expect(await assetlinks.json()).toMatchObject([
      { target: { package_name: 'com.example.demo', sha256_cert_fingerprints: [fingerprint] } },
    ]);
  });
});
