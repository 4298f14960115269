/**
 * The `<script>` build's other ways in, in real Chromium under a strict CSP: without the add-on
 * script the element offers the QR alone; with `qr-login-ways-in.iife.js` the TV layout shows the
 * short code (Japanese strings, a live region) and a phone that types it signs the page in.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WAYS_IN_STRINGS } from '../src/i18n/ways-in.js';
import { buildIife, hostPage } from './helpers/host-page.js';
import { startServer, type TestServer } from './helpers/start-server.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: this test must run in CI`);

let browser: Browser | undefined;
let server: TestServer | undefined;
let element = '';
let waysIn = '';

beforeAll(async () => {
  if (!haveChromium) return;
  [element, waysIn] = await Promise.all([buildIife(), buildIife('ways-in')]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function open(withAddOn: boolean) {
  server = await startServer({
    host: hostPage({
      bundle: element,
      lang: 'ja',
      attributes: { 'base-url': '/qrlogin', 'redeem-url': '/login/qr', layout: 'tv', 'app-name': 'Acme' },
      ...(withAddOn ? { waysInBundle: waysIn } : {}),
    }),
  });
  const context = await browser!.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.origin}/`);
  await page.locator('qr-login[state="pending"] [part=qr] svg').waitFor();
  return { page, errors };
}

describe.skipIf(!haveChromium)('<script> build: qr-login-ways-in.iife.js', () => {
  it('with the add-on: the TV layout shows the code at once, in Japanese, and typing it signs the page in', async () => {
    const { page, errors } = await open(true);
    const box = page.locator('qr-login [part=short-code-box]');
    const shown = box.locator('span[aria-hidden="true"]');
    await shown.waitFor();
    const code = (await shown.textContent()) ?? '';
    expect(code).toMatch(/^.{4}-.{4}$/);
    expect(await box.getAttribute('aria-live')).toBe('polite');
    expect(await box.locator('[part=short-code-hint]').textContent()).toBe(
      WAYS_IN_STRINGS.ja.enterCode.replace('{app}', 'Acme'),
    );
    expect(await box.locator('.sr').textContent()).toMatch(/^コード：. . . ., . . . .$/);

    const phone = await server!.phone('alice');
    const request = await phone.findByCode(code);
    await page.locator('qr-login[state="scanned"] [part=code]').waitFor();
    const number = (await page.locator('qr-login [part=code]').textContent()) ?? '';
    expect((await request.confirm({ code: number })).state).toBe('confirmed');
    await page.locator('qr-login[state="redeemed"]').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('without it: the QR alone, no error', async () => {
    const { page, errors } = await open(false);
    await page.waitForTimeout(300);
    expect(await page.locator('qr-login [part=short-code-box]').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
