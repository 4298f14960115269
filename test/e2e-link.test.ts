/**
 * "Log in on this device too" and several accounts, in real headless Chromium against the demo
 * host app: a signed-in page shows `<qr-link-device>`, a phone in Node with no device (the real
 * `@qrlogin/app`) reads its QR from the pixels, claims it and shows two digits, which are typed on
 * the page; the new device then signs a fresh browser in by QR. A wrong code registers nothing.
 * An app holding two accounts of the site signs in as the one picked.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Demo } from '../examples/demo/src/server.js';
import {
  type AccountStorage,
  createAccountBook,
  createQrLoginApp,
  generateDeviceKeys,
  type KeyStore,
  type LinkCodeDisplay,
  linkDevice,
  memoryKeyStore,
} from '../packages/app/src/index.js';
import {
  decodeQrPng,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { demoInChromium } from './helpers/demo-in-chromium.js';
import { newNodePhone } from './helpers/demo-server.js';

/** Signs `page` in to the demo by QR with `phone` (the login path, as e2e-login proves it). */
async function signIn(page: Page, demo: Demo, phone: ReturnType<typeof createQrLoginApp>): Promise<string> {
  await page.goto(demo.url);
  const { text } = await readQrFromWidget(page);
  const request = await phone.scan(text);
  await request.confirm({ code: await readCodeFromWidget(page) });
  await page.locator('h1.signed-in').waitFor();
  return (await page.locator('#user').textContent()) ?? '';
}

/** The link code `<qr-link-device>` shows, read from its pixels as a phone camera would. */
async function readLinkQr(page: Page): Promise<string> {
  await page.locator('qr-link-device[state="pending"]').waitFor();
  const qr = page.locator('qr-link-device [part="qr"]');
  await qr.locator('svg').waitFor();
  return decodeQrPng(await qr.screenshot());
}

/** The phone's code screen: resolves with what `onCode` was given. */
function codeScreen(): { onCode: (display: LinkCodeDisplay) => void; shown: Promise<LinkCodeDisplay> } {
  let onCode: (display: LinkCodeDisplay) => void = () => {};
  const shown = new Promise<LinkCodeDisplay>((resolve) => {
    onCode = resolve;
  });
  return { onCode, shown };
}

/** Types `code` into the link panel as the user would, once it names the phone. */
async function typeOnPage(page: Page, label: string, code: string): Promise<void> {
  const panel = page.locator('qr-link-device[state="scanned"]');
  await panel.waitFor();
  await expect
    .poll(() => page.locator('qr-link-device [part="status"]').textContent())
    .toBe(`Phone “${label}” wants to sign in as you — type the code it shows.`);
  // By its accessible name: the input is labelled, the button says what it does.
  await page.getByLabel('Code shown on the phone').fill(code);
  await page.getByRole('button', { name: 'Link phone' }).click();
}

describe.skipIf(skipWithoutChromium)('linking a new phone and picking an account, page in Chromium', () => {
  const x = demoInChromium({ context: {} });

  it('registers a new app by the signed-in page’s code and the phone’s digits; that device then signs in by QR', async () => {
    const page = await x.context.newPage();
    const log = await recordPageEvents(page);
    expect(await signIn(page, x.demo, await newNodePhone(x.demo))).toBe('ana@example.com');
    const registered: string[] = [];
    x.demo.qr.events.on('device-registered', (event) => registered.push(event.userId));

    const qrText = await readLinkQr(page);
    expect((await page.locator('qr-link-device [part="qr"]').boundingBox())?.width).toBe(256);
    expect(await page.getByRole('status').filter({ hasText: 'Scan this code' }).count()).toBe(1);
    expect(qrText).toMatch(new RegExp(`^${x.demo.url}/qrlogin/link/1/[A-Za-z0-9_-]{22}$`));
    const baseUrl = `${x.demo.url}/qrlogin`;
    const keys = generateDeviceKeys();
    const screen = codeScreen();
    const linking = linkDevice({
      baseUrl,
      qrText,
      keys,
      label: 'New Pixel',
      pollIntervalMs: 100,
      onCode: screen.onCode,
    });
    const { code, requester } = await screen.shown;
    expect(requester.browser).toMatch(/Chrom/);
    // The page never shows the digits: it has to be told them by the person holding the phone.
    expect(await page.locator('qr-link-device').evaluate((el) => el.shadowRoot?.textContent ?? '')).not.toContain(
      `${code}`,
    );
    await typeOnPage(page, 'New Pixel', code);
    const linked = await linking;
    expect(linked.userId).toBe('ana@example.com');
    await page.locator('qr-link-device[state="confirmed"]').waitFor();
    expect(await page.locator('qr-link-device [part="status"]').textContent()).toBe(
      'Phone linked. It can sign you in from now on.',
    );
    expect(registered).toEqual(['ana@example.com']);
    // Under the demo's strict CSP: styles applied (the QR box had its size), nothing blocked.
    const types = (await log.events()).map((event) => event.type);
    expect(types.filter((type) => type.startsWith('csp:'))).toEqual([]);
    expect(log.errors).toEqual([]);

    // The new device signs a fresh browser in by QR, as the page's user.
    const other = await x.browser.newContext();
    try {
      const fresh = await other.newPage();
      const app = createQrLoginApp({ baseUrl, deviceId: linked.deviceId, keys });
      expect(await signIn(fresh, x.demo, app)).toBe('ana@example.com');
    } finally {
      await other.close();
    }
  });

  it('a wrong code on the page registers nothing and the phone hears CODE_MISMATCH', async () => {
    const page = await x.context.newPage();
    await signIn(page, x.demo, await newNodePhone(x.demo));
    const registered: string[] = [];
    x.demo.qr.events.on('device-registered', (event) => registered.push(event.deviceId));
    const qrText = await readLinkQr(page);
    const screen = codeScreen();
    const linking = linkDevice({
      baseUrl: `${x.demo.url}/qrlogin`,
      qrText,
      keyStore: memoryKeyStore(),
      label: 'Stranger',
      pollIntervalMs: 100,
      onCode: screen.onCode,
    });
    const outcome = linking.then(
      () => 'linked',
      (error: { code?: string }) => error.code,
    );
    const { code } = await screen.shown;
    await typeOnPage(page, 'Stranger', code === '00' ? '01' : '00');
    expect(await outcome).toBe('CODE_MISMATCH');
    await page.locator('qr-link-device[state="rejected"]').waitFor();
    expect(await page.locator('qr-link-device [part="status"]').textContent()).toBe(
      'The code did not match. Nothing was linked.',
    );
    expect(registered).toEqual([]);
  });

  it('an app holding two accounts of the site signs in as the one picked', async () => {
    const baseUrl = `${x.demo.url}/qrlogin`;
    const data = new Map<string, string>();
    const storage: AccountStorage = {
      getItem: (key) => data.get(key) ?? null,
      setItem: (key, value) => void data.set(key, value),
    };
    const stores = new Map<string, KeyStore>();
    const book = createAccountBook({
      storage,
      keyStore: (id) => stores.get(id) ?? (stores.set(id, memoryKeyStore()).get(id) as KeyStore),
    });
    // The app signs in as each demo user in turn (its own sign-in, the demo's app cookie) and registers a key for each.
    for (const user of ['ana@example.com', 'ben@example.com']) {
      const opened = await fetch(`${x.demo.url}/phone?user=${encodeURIComponent(user)}`);
      const appCookie = opened.headers.getSetCookie().find((cookie) => cookie.startsWith('demo_app='));
      await book.register({
        baseUrl,
        label: 'Two-account phone',
        userId: user,
        headers: { cookie: (appCookie as string).split(';')[0] as string },
      });
    }

    const page = await x.context.newPage();
    await page.goto(x.demo.url);
    const { text } = await readQrFromWidget(page);
    const accounts = await book.forQr(text);
    expect(accounts.map((account) => account.userId)).toEqual(['ana@example.com', 'ben@example.com']);
    // The user picks the second account on the phone's "which account?" screen.
    const picked = accounts[1] as (typeof accounts)[number];
    const request = await book.app(picked).scan(text);
    await request.confirm({ code: await readCodeFromWidget(page) });
    await page.locator('h1.signed-in').waitFor();
    expect(await page.locator('#user').textContent()).toBe('ben@example.com');
  });

  it('the phone simulator holds two accounts and asks which one; it links itself from the signed-in page', async () => {
    const phone = await x.context.newPage();
    await phone.goto(`${x.demo.url}/phone`);
    await phone.locator('#scan-screen:not([hidden])').waitFor();
    await phone.locator('#add-account').click();
    await expect.poll(() => phone.locator('#device-status').textContent()).toMatch(/^Added ben@example.com/);

    const page = await x.context.newPage();
    await page.goto(x.demo.url);
    const { text } = await readQrFromWidget(page);
    await phone.locator('#qr-text').fill(text);
    await phone.locator('#paste-form button[type="submit"]').click();
    const choices = phone.locator('#account-list button');
    await phone.locator('#accounts-screen:not([hidden])').waitFor();
    expect(await choices.allTextContents()).toEqual(['ana@example.com', 'ben@example.com (Phone simulator)']);
    await choices.nth(1).click();
    await phone.locator('#confirm-screen:not([hidden])').waitFor();
    await phone.locator('#code-input').fill(await readCodeFromWidget(page));
    await phone.locator('#confirm').click();
    await page.locator('h1.signed-in').waitFor();
    expect(await page.locator('#user').textContent()).toBe('ben@example.com');

    // Signed in as ben, the page links the simulator as a further phone of ben's.
    const qrText = await readLinkQr(page);
    await phone.locator('#scan-again').click();
    await phone.locator('#qr-text').fill(qrText);
    await phone.locator('#paste-form button[type="submit"]').click();
    await phone.locator('#link-screen:not([hidden])').waitFor();
    const digits = (await phone.locator('#link-digits').textContent()) ?? '';
    await typeOnPage(page, 'Phone simulator (linked)', digits);
    await expect
      .poll(() => phone.locator('#result').textContent())
      .toBe('Linked: this phone can now sign in as ben@example.com.');
  });
});
