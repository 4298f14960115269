/**
 * Issue 18's end-to-end, through the demo in real headless Chromium: two browsers (separate
 * contexts, separate cookies) each sign in by QR with the phone simulator (`/phone`, the real
 * `@qrlogin/app` in its own context). The phone's "Where you're signed in" lists both; End on one
 * deletes that browser's host session (its `/me` answers 401 and its page, pushed over
 * `/me/events`, goes back to the QR)
 * while the other stays signed in; "This wasn't me" on the other ends it too; and "This wasn't me"
 * on the confirm screen refuses that login and pauses new scans.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  nowMs,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { demoInChromium, hostSessionStatus as me } from './helpers/demo-in-chromium.js';

const ROOT = resolve(import.meta.dirname, '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
// The README's picture of "Where you're signed in", refreshed with UPDATE_DOCS_IMAGES=1.
const DOCS_IMAGE = join(ROOT, 'docs', 'images', 'demo-phone-ledger.png');
const USER = 'ana@example.com';

describe.skipIf(skipWithoutChromium)('issue 18: where you’re signed in, through the demo', () => {
  const x = demoInChromium({
    first: {},
    second: {},
    handset: { viewport: { width: 420, height: 1000 }, isMobile: true, hasTouch: true },
  });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
  });

  /** Opens the phone simulator and waits for its device key and its (empty) login list. */
  async function openPhone(): Promise<Page> {
    const phone = await x.handset.newPage();
    await phone.goto(`${x.demo.url}/phone`);
    await phone.locator('#device-status', { hasText: /device/i }).waitFor();
    await phone.locator('#logins-status', { hasText: /No browser/ }).waitFor();
    return phone;
  }

  /** Scans `login`'s QR with the phone page and brings up its confirm screen. */
  async function scanWithPhone(login: Page, phone: Page): Promise<void> {
    const { text } = await readQrFromWidget(login);
    await phone.locator('#scan-screen').waitFor();
    await phone.locator('#qr-text').fill(text);
    await phone.locator('#paste-form button[type="submit"]').click();
    await phone.locator('#confirm-screen').waitFor();
  }

  /** Signs a desktop context in by QR through the phone page; returns its login page. */
  async function signIn(context: BrowserContext, phone: Page): Promise<Page> {
    const login = await context.newPage();
    await login.goto(x.demo.url);
    await scanWithPhone(login, phone);
    await phone.locator('#code-input').fill(await readCodeFromWidget(login));
    await phone.locator('#confirm').click();
    await phone.locator('#result[data-outcome="confirmed"]').waitFor();
    await login.locator('h1.signed-in').waitFor();
    await phone.locator('#scan-again').click();
    return login;
  }

  it('lists both browsers, End signs one out while the other stays, “This wasn’t me” ends the other', async () => {
    const phone = await openPhone();
    const phoneLog = await recordPageEvents(phone);
    const [first, second] = [await signIn(x.first, phone), await signIn(x.second, phone)];
    const firstLog = await recordPageEvents(first);

    // The phone lists both, newest first, as the server's ledger has them.
    const ledger = await x.demo.qr.listLogins(USER);
    expect(ledger).toHaveLength(2);
    const [secondId, firstId] = ledger.map((login) => login.id);
    const items = phone.locator('#login-list li[data-state="active"]');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(2);
    expect(await items.evaluateAll((lis) => lis.map((li) => (li as HTMLElement).dataset.loginId))).toEqual([
      secondId,
      firstId,
    ]);
    expect(await items.first().textContent()).toMatch(/Chrom.* on Linux · 127\.0\.0\.1 · This computer/);
    const shot = join(ARTIFACTS, 'demo-phone-ledger.png');
    await phone.screenshot({ path: shot, fullPage: true });
    if (process.env.UPDATE_DOCS_IMAGES === '1' || !existsSync(DOCS_IMAGE)) await copyFile(shot, DOCS_IMAGE);

    // End the first browser's login on the phone.
    const clickedAt = nowMs();
    await phone.locator(`#login-list li[data-login-id="${firstId}"] button[data-action="end"]`).click();
    await phone.locator(`#login-list li[data-login-id="${firstId}"][data-state="ended"]`).waitFor();
    // Its host session is gone at once, and its page, told over /me/events, goes back to the QR.
    expect(await me(first)).toBe(401);
    await first.locator('qr-login[state="pending"]').waitFor({ timeout: 10_000 });
    console.log(
      `[e2e figure] End on the phone → that browser's page back at a fresh QR: ${(nowMs() - clickedAt).toFixed(0)} ms`,
    );
    // Its cookie may linger in the browser, but the session it names is gone on the server.
    await first.reload();
    await first.locator('qr-login[state="pending"]').waitFor();
    // The other browser stays signed in: its page heard nothing, and a reload still finds it signed in.
    expect(await me(second)).toBe(200);
    await second.waitForTimeout(500);
    expect(await second.locator('h1.signed-in').isVisible()).toBe(true);
    await second.reload();
    expect(await second.locator('h1').textContent()).toBe(`Signed in as ${USER}`);

    // "This wasn't me" on the remaining login ends it as well.
    await phone.locator(`#login-list li[data-login-id="${secondId}"] button[data-action="report"]`).click();
    await phone.locator(`#login-list li[data-login-id="${secondId}"][data-state="ended"]`).waitFor();
    expect(await me(second)).toBe(401);
    await second.locator('qr-login[state="pending"]').waitFor({ timeout: 10_000 });
    expect((await x.demo.qr.listLogins(USER)).map((login) => [login.id, login.endReason])).toEqual([
      [secondId, 'report'],
      [firstId, 'user'],
    ]);
    expect(await phone.locator('#end-all').isHidden()).toBe(true);
    await phone.screenshot({ path: join(ARTIFACTS, 'demo-phone-ledger-ended.png'), fullPage: true });
    expect(firstLog.errors).toEqual([]);
    expect(phoneLog.errors).toEqual([]);
  });

  it('“End all” signs every browser out; “This wasn’t me” on the confirm screen refuses and pauses scans', async () => {
    const phone = await openPhone();
    const pages = [await signIn(x.first, phone), await signIn(x.second, phone)];
    const endAll = phone.locator('#end-all');
    await endAll.waitFor();
    await expect.poll(() => phone.locator('#login-list li[data-state="active"]').count(), { timeout: 10_000 }).toBe(2);
    await endAll.click();
    await expect.poll(() => phone.locator('#login-list li[data-state="ended"]').count(), { timeout: 10_000 }).toBe(2);
    for (const page of pages) {
      expect(await me(page)).toBe(401);
      await page.locator('qr-login[state="pending"]').waitFor({ timeout: 10_000 });
    }

    // A login the user did not start: report it from the confirm screen instead of rejecting.
    const intruder = pages[0] as Page;
    await scanWithPhone(intruder, phone);
    await phone.locator('#report').click();
    await phone.locator('#result[data-outcome="rejected"]', { hasText: /Reported/ }).waitFor();
    await intruder.locator('qr-login[state="rejected"]').waitFor();
    expect(await me(intruder)).toBe(401);
    // New scans for this user are refused for a while, with a clear error on the phone.
    await intruder.locator('qr-login [part="refresh"]').click();
    const { text } = await readQrFromWidget(intruder);
    await phone.locator('#scan-again').click();
    await phone.locator('#qr-text').fill(text);
    await phone.locator('#paste-form button[type="submit"]').click();
    await phone.locator('#result[data-outcome="error"]', { hasText: /SCANS_LOCKED/ }).waitFor();
    expect(await intruder.locator('qr-login').getAttribute('state')).toBe('pending');
  });
});
