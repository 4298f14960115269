/**
 * The `<qr-login>` element in real headless Chromium, on a page under a strict CSP that loads the
 * `<script>` build, against the real server: the test reads the QR from a screenshot with jsQR,
 * scans and decides with the real app package, and watches what the page shows and does.
 */
import { existsSync } from 'node:fs';
import jsQR from 'jsqr';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lateWriteStore } from '../../server/test/late-write-store.js';
import { formatString, LOCALES } from '../src/index.js';
import { buildIife, hostPage } from './helpers/host-page.js';
import { startServer, type TestServer } from './helpers/start-server.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: the element test must run in CI`);
  console.warn(`[browser] skipping the <qr-login> Chromium test: ${CHROMIUM} is not installed`);
}

let browser: Browser | undefined;
let bundle = '';
let server: TestServer | undefined;
let page: Page | undefined;
/** What the page printed with `console.warn`, and the server's `misconfigured` events, since `open()`. */
let consoleWarnings: string[] = [];
let misconfigured: { problem: string; option: string }[] = [];

beforeAll(async () => {
  if (!haveChromium) return;
  bundle = await buildIife();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await page?.context().close();
  page = undefined;
  await server?.close();
  server = undefined;
});

async function open(
  options: Parameters<typeof startServer>[0] & {
    lang?: string;
    attributes?: Record<string, string>;
    blockUpgrades?: boolean;
  } = {},
): Promise<Page> {
  const { lang = 'en', attributes = {}, blockUpgrades = false, ...serverOptions } = options;
  server = await startServer({
    ...serverOptions,
    host: hostPage({ bundle, lang, attributes: { 'base-url': '/qrlogin', 'redeem-url': '/login/qr', ...attributes } }),
  });
  server.blockUpgrades = blockUpgrades;
  misconfigured = [];
  server.qr.events.on('misconfigured', (event) => misconfigured.push(event));
  const context = await browser!.newContext({ viewport: { width: 480, height: 640 } });
  page = await context.newPage();
  consoleWarnings = [];
  page.on('console', (message) => {
    if (message.type() === 'warning') consoleWarnings.push(message.text());
  });
  await page.goto(`${server.origin}/`);
  return page;
}

/** Screenshots the QR part and decodes it with jsQR: what a phone camera would read. */
async function readQr(page: Page): Promise<string> {
  const qr = page.locator('qr-login [part=qr] svg');
  await qr.waitFor();
  const png = PNG.sync.read(await page.locator('qr-login [part=qr]').screenshot());
  const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!decoded) throw new Error('no QR code found in the screenshot');
  return decoded.data;
}

const statusText = (page: Page) => page.locator('qr-login [part=status]').textContent();
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
const domEvents = (page: Page) =>
  page.evaluate(() => (window as unknown as { __events: { type: string; detail: unknown }[] }).__events);

describe.skipIf(!haveChromium)('<qr-login> in Chromium', () => {
  it('Japanese page, WebSocket, number matching: scan → code shown → confirm → redeemed, cookie set, zero CSP violations', async () => {
    const ja = LOCALES.ja;
    const page = await open({ lang: 'ja', numberMatching: true });
    const text = await readQr(page);
    expect(text).toMatch(new RegExp(`^${server!.baseUrl}/q/1/[A-Za-z0-9_-]{22}$`));
    await expect.poll(() => statusText(page)).toBe(ja.pending);
    const svg = page.locator('qr-login [part=qr] svg');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.getAttribute('aria-label')).toBe(ja.qrLabel);
    expect(await page.locator('qr-login [part=status]').getAttribute('role')).toBe('status');
    expect(await page.locator('qr-login [part=countdown]').textContent()).toMatch(/^残り [12]:[0-5][0-9]$/);

    const phone = await server!.phone('alice');
    const request = await phone.scan(text);
    const code = page.locator('qr-login [part=code]');
    await code.waitFor();
    const shown = (await code.textContent())!;
    expect(shown).toMatch(/^[0-9]{2}$/);
    expect(await statusText(page)).toBe(formatString(ja.scannedCode, { code: shown }));
    expect(await page.locator('qr-login').getAttribute('state')).toBe('scanned');

    await request.confirm({ code: shown });
    await expect.poll(() => statusText(page)).toBe(ja.signedIn);
    expect(await page.locator('qr-login').getAttribute('state')).toBe('redeemed');
    const events = await domEvents(page);
    expect(events.filter((e) => e.type === 'qrlogin-login')).toEqual([
      { type: 'qrlogin-login', detail: { userId: 'alice' } },
    ]);
    expect(events.filter((e) => e.type === 'qrlogin-state').map((e) => (e.detail as { state: string }).state)).toEqual([
      'pending',
      'scanned',
      'confirmed',
    ]);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'sid')).toMatchObject({ httpOnly: true });
    expect(server!.qr.socketCount).toBeLessThanOrEqual(1);
    expect(server!.upgrades).toBe(1);

    expect(await violations(page)).toEqual([]);
    // The detector works: an inline style attribute is a violation under this policy.
    await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
    await expect.poll(() => violations(page)).toEqual(['style-src-attr']);
  });

  it('English page, WebSockets not served: falls back to long-poll; reject shows the refresh button, which brings a new code', async () => {
    const en = LOCALES.en;
    const page = await open({ attach: false });
    const first = await readQr(page);
    const phone = await server!.phone('alice');
    await (await phone.scan(first)).reject();
    await expect.poll(() => statusText(page)).toBe(en.rejected);
    const button = page.getByRole('button', { name: en.refresh });
    await button.waitFor();
    expect(await page.locator('qr-login').getAttribute('state')).toBe('rejected');

    await button.click();
    await expect.poll(() => statusText(page)).toBe(en.pending);
    const second = await readQr(page);
    expect(second).not.toBe(first);
    expect(await button.isHidden()).toBe(true);

    // The element's own lang attribute wins over the document's, and `strings` overrides on top.
    await page.locator('qr-login').evaluate((el) => el.setAttribute('lang', 'zh-CN'));
    await expect.poll(() => statusText(page)).toBe(LOCALES['zh-CN'].pending);
    await page.locator('qr-login').evaluate((el) => {
      (el as HTMLElement & { strings: object }).strings = { pending: '请扫码' };
    });
    await expect.poll(() => statusText(page)).toBe('请扫码');
    expect(await page.locator('qr-login [part=qr] svg').getAttribute('aria-label')).toBe(LOCALES['zh-CN'].qrLabel);

    // Taking the element off the page cancels its session on the server.
    const sessionId = second.split('/').at(-1)!;
    await page.locator('qr-login').evaluate((el) => el.remove());
    await expect.poll(async () => (await server!.qr.inspect(sessionId))?.state).toBe('cancelled');
    expect(await violations(page)).toEqual([]);
    // The forgotten `attach` is named once in the page's console and once by the server.
    expect(consoleWarnings.filter((w) => w.includes('qr.attach(server)'))).toHaveLength(1);
    expect(misconfigured).toEqual([expect.objectContaining({ problem: 'websocket-not-attached', option: 'attach' })]);
  });

  it('without redeem-url: qrlogin-confirmed hands the page what it needs to redeem itself', async () => {
    const page = await open({ attributes: { 'redeem-url': '' } });
    const text = await readQr(page);
    const phone = await server!.phone('alice');
    await (await phone.scan(text)).confirm();
    await expect.poll(async () => (await domEvents(page)).some((e) => e.type === 'qrlogin-confirmed')).toBe(true);
    const { detail } = (await domEvents(page)).find((e) => e.type === 'qrlogin-confirmed')!;
    expect(detail).toMatchObject({ sessionId: text.split('/').at(-1) });
    expect(await server!.qr.redeem(detail as { sessionId: string; browserSecret: string })).toMatchObject({
      userId: 'alice',
    });
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.locator('qr-login').getAttribute('state')).toBe('confirmed');
  });

  it('a redeem route that fails: the page says so, reports qrlogin-error and offers a new code', async () => {
    const page = await open({ attributes: { 'redeem-url': '/no-such-route' } });
    const text = await readQr(page);
    const phone = await server!.phone('alice');
    await (await phone.scan(text)).confirm();
    await expect.poll(() => statusText(page)).toBe(LOCALES.en.redeemFailed);
    expect(await page.locator('qr-login').getAttribute('state')).toBe('error');
    const errors = (await domEvents(page)).filter((e) => e.type === 'qrlogin-error');
    expect(errors).toEqual([{ type: 'qrlogin-error', detail: { code: 'NOT_FOUND', message: expect.any(String) } }]);
    expect((await domEvents(page)).some((e) => e.type === 'qrlogin-login')).toBe(false);
    expect(await page.getByRole('button', { name: LOCALES.en.refresh }).isVisible()).toBe(true);
    expect(await page.context().cookies()).toEqual([]);
  });

  it('redirect attribute: navigates once the host answered, after qrlogin-login', async () => {
    const page = await open({ lang: 'zh-CN', attributes: { redirect: '/account', transport: 'poll' } });
    const text = await readQr(page);
    await expect.poll(() => statusText(page)).toBe(LOCALES['zh-CN'].pending);
    const phone = await server!.phone('bob');
    const navigated = page.waitForURL(`${server!.origin}/account`);
    await (await phone.scan(text)).confirm();
    await navigated;
    expect((await page.context().cookies()).map((c) => c.name)).toContain('sid');
  });

  it('a redeem answered 503 whose write landed: the element posts again and the user is signed in, once', async () => {
    const store = lateWriteStore();
    store.failRedeemWrites = 1;
    const page = await open({ store });
    const redeemed: unknown[] = [];
    server!.qr.events.on('redeemed', (event) => redeemed.push(event));
    const text = await readQr(page);
    const phone = await server!.phone('alice');
    await (await phone.scan(text)).confirm();
    await expect.poll(() => statusText(page), { timeout: 10_000 }).toBe(LOCALES.en.signedIn);
    expect(store.failRedeemWrites).toBe(0);
    expect(redeemed).toHaveLength(1);
    expect((await domEvents(page)).filter((e) => e.type === 'qrlogin-error')).toEqual([]);
    expect((await page.context().cookies()).map((c) => c.name)).toContain('sid');
  });

  it('a page origin the server does not allow: says the site is set up wrong (not "could not reach"), names allowedOrigins, once', async () => {
    const ja = LOCALES.ja;
    const page = await open({ lang: 'ja', allowedOrigins: ['https://example.com'] });
    await expect.poll(() => statusText(page)).toBe(ja.misconfigured);
    expect(ja.misconfigured).not.toBe(ja.error);
    expect(await page.locator('qr-login').getAttribute('state')).toBe('error');
    const errors = (await domEvents(page)).filter((e) => e.type === 'qrlogin-error');
    expect(errors).toEqual([
      { type: 'qrlogin-error', detail: { code: 'FORBIDDEN_ORIGIN', message: expect.any(String) } },
    ]);
    expect(consoleWarnings).toEqual([expect.stringContaining(`"${server!.origin}" (FORBIDDEN_ORIGIN)`)]);
    expect(consoleWarnings[0]).toContain('"allowedOrigins" option');

    // Asking again changes nothing, and the server still said it once.
    await page.getByRole('button', { name: ja.refresh }).click();
    await expect
      .poll(() => domEvents(page).then((events) => events.filter((e) => e.type === 'qrlogin-error').length))
      .toBe(2);
    expect(await statusText(page)).toBe(ja.misconfigured);
    expect(misconfigured).toEqual([expect.objectContaining({ problem: 'forbidden-origin', option: 'allowedOrigins' })]);
  });

  it('a blip that refused the WebSocket: the page long-polls, then goes back to the WebSocket and signs in over it', async () => {
    const page = await open({ blockUpgrades: true });
    const text = await readQr(page);
    await expect.poll(() => server!.heldPolls()).toBe(1);
    const refused = server!.upgrades;
    server!.blockUpgrades = false;
    await expect.poll(() => server!.qr.socketCount, { timeout: 10_000 }).toBe(1);
    await expect.poll(() => server!.heldPolls()).toBe(0);
    expect(server!.upgrades).toBeGreaterThan(refused);
    const phone = await server!.phone('alice');
    await (await phone.scan(text)).confirm();
    await expect.poll(() => statusText(page)).toBe(LOCALES.en.signedIn);
    expect(server!.heldPolls()).toBe(0);
  });

  it('defineQrLoginElement(options) after the <script> build defined <qr-login>: throws naming "client"; same or no options return the class', async () => {
    const page = await open();
    const outcome = await page.evaluate(() => {
      const { defineQrLoginElement } = (window as unknown as { QrLogin: typeof import('../src/index.js') }).QrLogin;
      const defined = customElements.get('qr-login');
      let thrown = '';
      try {
        defineQrLoginElement({ client: { rotate: false } });
      } catch (error) {
        thrown = `${(error as Error).name}: ${(error as Error).message}`;
      }
      const acme = defineQrLoginElement({ tagName: 'acme-qr-login', client: { rotate: false } });
      return {
        thrown,
        noOptions: defineQrLoginElement() === defined,
        emptyClient: defineQrLoginElement({ client: {} }) === defined,
        sameAgain: defineQrLoginElement({ tagName: 'acme-qr-login', client: { rotate: false } }) === acme,
      };
    });
    expect(outcome.thrown).toMatch(/^TypeError: defineQrLoginElement: option "client" differs .*<qr-login>/);
    expect(outcome).toMatchObject({ noOptions: true, emptyClient: true, sameAgain: true });
  });
});
