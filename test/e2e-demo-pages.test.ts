/**
 * The two demo pages together, as a newcomer uses them: the login page in one browser context,
 * the phone simulator (`/phone`, `@qrlogin/app` running in the page) in another. The QR is read
 * from the login page's pixels and pasted into the phone page, or the page's demo shortcut opens
 * `/phone?qr=<link>`; the phone shows the confirm screen and the user clicks Confirm or Reject.
 *
 * Screenshots of both pages at the confirm step and after login go to `test-artifacts/`; with
 * `UPDATE_DOCS_IMAGES=1` (or when they do not exist yet) the final pair is also copied to
 * `docs/images/` for the README.
 */

import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  nowMs,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { demoInChromium } from './helpers/demo-in-chromium.js';

const ROOT = resolve(import.meta.dirname, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS_IMAGES = join(ROOT, 'docs', 'images');

async function saveScreenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage: true });
  console.log(`[e2e artifact] ${path}`);
  return path;
}

/** Waits for the phone simulator to have its device key registered and the scan screen up. */
async function openPhone(phone: Page, url: string): Promise<void> {
  await phone.goto(url);
  await phone.locator('#device-status', { hasText: /device/i }).waitFor();
}

describe.skipIf(skipWithoutChromium)('login page + phone simulator', () => {
  const x = demoInChromium({
    desktop: { viewport: { width: 640, height: 640 } },
    handset: { viewport: { width: 420, height: 860 }, isMobile: true, hasTouch: true },
  });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
  });

  it('paste the link, check the confirm screen, type the number, Confirm: the login page is signed in', async () => {
    const login = await x.desktop.newPage();
    const loginLog = await recordPageEvents(login);
    await login.goto(x.demo.url);
    const { text } = await readQrFromWidget(login);

    const phone = await x.handset.newPage();
    const phoneLog = await recordPageEvents(phone);
    await openPhone(phone, `${x.demo.url}/phone`);
    expect(await phone.locator('#device-status').textContent()).toMatch(/registered/);
    expect(await phone.locator('#app-user').textContent()).toBe('ana@example.com');
    // The device key stays in the phone's local storage, never in a cookie or on the server.
    const seed = await phone.evaluate(() => localStorage.getItem('qrlogin-demo.seed'));
    expect(seed).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await phone.locator('#qr-text').fill(text);
    await phone.locator('#paste-form button[type="submit"]').click();
    await phone.locator('#confirm-screen').waitFor();

    // The confirm screen tells the user who is asking.
    expect(await phone.locator('#confirm-site').textContent()).toBe(x.demo.url);
    expect(await phone.locator('#confirm-browser').textContent()).toMatch(/Chrom.* on Linux/);
    expect(await phone.locator('#confirm-ip').textContent()).toBe('127.0.0.1');
    expect(await phone.locator('#confirm-place').textContent()).toBe('This computer');
    expect(await phone.locator('#confirm-network').textContent()).toBe('Same network as this phone');
    expect(await phone.locator('#confirm-time').textContent()).toMatch(/\d{1,2}:\d{2}:\d{2}/);
    expect(await phone.locator('#code-field').isVisible()).toBe(true);
    // Confirm and Reject are equally prominent.
    const confirmBox = await phone.locator('#confirm').boundingBox();
    const rejectBox = await phone.locator('#reject').boundingBox();
    expect(confirmBox?.width).toBe(rejectBox?.width);
    expect(confirmBox?.height).toBe(rejectBox?.height);

    const code = await readCodeFromWidget(login);
    await phone.locator('#code-input').fill(code);
    await saveScreenshot(login, 'demo-login-confirm-step.png');
    await saveScreenshot(phone, 'demo-phone-confirm-step.png');

    const clickedAt = nowMs();
    await phone.locator('#confirm').click();
    await phone.locator('#result[data-outcome="confirmed"]').waitFor();
    await login.locator('h1.signed-in').waitFor();
    expect(await login.locator('h1').textContent()).toBe('Signed in as ana@example.com');
    expect((await x.desktop.cookies(x.demo.url)).map((cookie) => cookie.name)).toContain('demo_session');
    // The phone's context has the app's sign-in, never the website's session.
    expect((await x.handset.cookies(x.demo.url)).map((cookie) => cookie.name)).toEqual(['demo_app']);

    const events = await loginLog.events();
    const confirmedAt = events.find((event) => event.type === 'qrlogin-state:confirmed')?.at as number;
    console.log(
      `[e2e figure] Confirm click on the phone page → login page status "confirmed": ${(confirmedAt - clickedAt).toFixed(1)} ms`,
    );

    const loginShot = await saveScreenshot(login, 'demo-login-signed-in.png');
    const phoneShot = await saveScreenshot(phone, 'demo-phone-signed-in.png');
    const docsLogin = join(DOCS_IMAGES, 'demo-login.png');
    const docsPhone = join(DOCS_IMAGES, 'demo-phone.png');
    if (process.env.UPDATE_DOCS_IMAGES === '1' || !existsSync(docsLogin) || !existsSync(docsPhone)) {
      await mkdir(DOCS_IMAGES, { recursive: true });
      await copyFile(loginShot, docsLogin);
      await copyFile(phoneShot, docsPhone);
      console.log(`[e2e artifact] README images updated: ${docsLogin}, ${docsPhone}`);
    }
    expect(loginLog.errors).toEqual([]);
    expect(phoneLog.errors).toEqual([]);
  });

  it('the demo shortcut opens /phone?qr=<link>, Reject: the login page shows the refusal, nobody is signed in', async () => {
    const login = await x.desktop.newPage();
    const loginLog = await recordPageEvents(login);
    await login.goto(x.demo.url);
    const { text } = await readQrFromWidget(login);
    // The shortcut carries exactly the code the QR shows.
    const shortcut = login.locator('#phone-shortcut');
    await shortcut.waitFor();
    expect(await shortcut.getAttribute('href')).toBe(`/phone?qr=${encodeURIComponent(text)}`);

    const opened = x.desktop.waitForEvent('page');
    await shortcut.click();
    const phone = await opened;
    const phoneLog = await recordPageEvents(phone);
    await phone.locator('#confirm-screen').waitFor();
    // Scanned once: the link is dropped from the address bar so a reload does not scan again.
    expect(new URL(phone.url()).search).toBe('');
    await login.locator('qr-login[state="scanned"]').waitFor();
    expect(await shortcut.isHidden()).toBe(true);

    await phone.locator('#reject').click();
    await phone.locator('#result[data-outcome="rejected"]').waitFor();
    await login.locator('qr-login[state="rejected"]').waitFor();
    expect(await login.locator('qr-login [part="status"]').textContent()).toBe('Sign-in was declined on the phone.');
    expect((await x.desktop.cookies(x.demo.url)).map((cookie) => cookie.name)).not.toContain('demo_session');

    // The same phone, reloaded, keeps its device (no second registration) and can scan a fresh code.
    await login.locator('qr-login [part="refresh"]').click();
    const fresh = await readQrFromWidget(login);
    expect(fresh.text).not.toBe(text);
    await openPhone(phone, `${x.demo.url}/phone`);
    expect(await phone.locator('#device-status').textContent()).toMatch(/local storage/);
    await phone.locator('#qr-text').fill(fresh.text);
    await phone.locator('#paste-form button[type="submit"]').click();
    await phone.locator('#confirm-screen').waitFor();
    // Confirm without typing the number: the phone asks for it instead of sending anything.
    await phone.locator('#confirm').click();
    expect(await phone.locator('#code-input').evaluate((input: HTMLInputElement) => input.validity.valueMissing)).toBe(
      true,
    );
    expect(await login.locator('qr-login').getAttribute('state')).toBe('scanned');
    expect(loginLog.errors).toEqual([]);
    expect(phoneLog.errors).toEqual([]);
  });
});
