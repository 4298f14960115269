/**
 * Issue 18's end-to-end on a better-auth app, in real headless Chromium: two browser contexts sign
 * in by QR through `<qr-login>` and the plugin's redeem route (each gets its own better-auth
 * session); the phone — better-auth's client in Node, signed in with email and password, plus the
 * real `@qrlogin/app` — lists both, ends one, and better-auth's get-session answers null for THAT
 * browser only; "This wasn't me" on the other ends it too; the phone stays signed in throughout.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDatabase, type TestDatabase } from '../packages/better-auth/test/helpers/databases.js';
import { type Host, startHost } from '../packages/better-auth/test/helpers/host.js';
import { type Phone, signedInPhone } from '../packages/better-auth/test/helpers/phone.js';
import { launchChromium, readQrFromWidget, skipWithoutChromium } from './helpers/chromium.js';

/** better-auth's own answer to "who is this?", asked from inside the page with its cookies. */
const pageUser = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch('/api/auth/get-session', { credentials: 'same-origin' });
    const session = (await response.json()) as { user: { id: string } } | null;
    return session?.user.id ?? null;
  });

describe.skipIf(skipWithoutChromium)('better-auth app: ending QR logins from the phone, in Chromium', () => {
  let browser: Browser;
  let db: TestDatabase;
  let host: Host;
  let contexts: BrowserContext[];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    db = await sqliteDatabase();
    host = await startHost(db.database);
    contexts = [await browser.newContext(), await browser.newContext()];
  });
  afterEach(async () => {
    for (const context of contexts ?? []) await context.close();
    await host?.close();
    await db?.close();
  });

  async function logInByQr(context: BrowserContext, phone: Phone): Promise<Page> {
    const page = await context.newPage();
    await page.goto(host.url);
    const { text } = await readQrFromWidget(page);
    await (await phone.app.scan(text)).confirm();
    await page.locator('qr-login[state="redeemed"]').waitFor();
    expect(await pageUser(page)).toBe(phone.userId);
    return page;
  }

  it('the phone lists both browsers, ends one (its better-auth session is gone), reports the other', async () => {
    const phone = await signedInPhone(host.url, 'ana@example.com');
    const first = await logInByQr(contexts[0] as BrowserContext, phone);
    const second = await logInByQr(contexts[1] as BrowserContext, phone);

    const listed = await phone.app.listLogins();
    expect(listed).toHaveLength(2);
    expect(listed.every((login) => login.endedAt === undefined && login.thisDevice)).toBe(true);
    expect(listed[0]?.requester.browser).toMatch(/Chrom/);
    const [secondId, firstId] = listed.map((login) => login.id) as [string, string];

    await phone.app.endLogin(firstId);
    expect(await pageUser(first)).toBeNull();
    await first.reload();
    expect(await pageUser(first)).toBeNull();
    expect(await pageUser(second)).toBe(phone.userId);
    expect((await phone.client.getSession()).data?.user.id).toBe(phone.userId);

    await phone.app.reportLogin(secondId);
    expect(await pageUser(second)).toBeNull();
    expect((await phone.client.getSession()).data?.user.id).toBe(phone.userId);
    const after = await phone.app.listLogins();
    expect(after.map((login) => [login.id, login.endReason])).toEqual([
      [secondId, 'report'],
      [firstId, 'user'],
    ]);
  });
});
