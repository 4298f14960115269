/**
 * QR login into a better-auth app, in real headless Chromium: the page is nothing but
 * `<qr-login>` pointed at the plugin (no redeem route of the host's own), the phone is better-auth's
 * client in Node signed in with email and password plus the real `@qrlogin/app`, and after the
 * scan the browser must hold its OWN better-auth session — another session row and token than the
 * phone's — that outlives the phone signing out, and whose sign-out leaves the phone signed in.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDatabase, type TestDatabase } from '../packages/better-auth/test/helpers/databases.js';
import { type Host, startHost } from '../packages/better-auth/test/helpers/host.js';
import { type Phone, signedInPhone } from '../packages/better-auth/test/helpers/phone.js';
import { launchChromium, readQrFromWidget, skipWithoutChromium } from './helpers/chromium.js';

const SESSION_COOKIE = 'better-auth.session_token';

interface SessionView {
  user: { id: string };
  session: { id: string; token: string };
}

/** better-auth's own answer to "who is this?", asked from inside the page with its cookies. */
const pageSession = (page: Page) =>
  page.evaluate(async () => {
    const response = await fetch('/api/auth/get-session', { credentials: 'same-origin' });
    return (await response.json()) as SessionView | null;
  });

describe.skipIf(skipWithoutChromium)('better-auth app: <qr-login> in Chromium, phone in Node', () => {
  let browser: Browser;
  let db: TestDatabase;
  let host: Host;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    db = await sqliteDatabase();
    host = await startHost(db.database);
    context = await browser.newContext();
  });
  afterEach(async () => {
    await context?.close();
    await host?.close();
    await db?.close();
  });

  /** Signs the page in by QR with the phone's account; returns both sessions. */
  async function logInByQr(phone: Phone): Promise<{ page: Page; browserSession: SessionView }> {
    const page = await context.newPage();
    await page.goto(host.url);
    const { text } = await readQrFromWidget(page);
    expect(text).toMatch(new RegExp(`^${host.url}/api/auth/qr-login/q/1/`));
    const request = await phone.app.scan(text);
    expect(request.requester.browser).toMatch(/Chrom/);
    await request.confirm();
    await page.locator('qr-login[state="redeemed"]').waitFor();
    const cookie = (await context.cookies(host.url)).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const browserSession = await pageSession(page);
    expect(browserSession?.user.id).toBe(phone.userId);
    return { page, browserSession: browserSession as SessionView };
  }

  it('the browser’s own session survives the phone signing out', async () => {
    const phone = await signedInPhone(host.url, 'ana@example.com');
    const phoneCookie = new Headers({ cookie: `${SESSION_COOKIE}=${phone.cookies.get(SESSION_COOKIE)}` });
    const phoneSession = await host.auth.api.getSession({ headers: phoneCookie });
    const { page, browserSession } = await logInByQr(phone);
    expect(browserSession.session.id).not.toBe(phoneSession?.session.id);
    expect(browserSession.session.token).not.toBe(phoneSession?.session.token);

    await phone.client.signOut();
    expect(await host.auth.api.getSession({ headers: phoneCookie })).toBeNull();
    await page.reload();
    expect((await pageSession(page))?.session.id).toBe(browserSession.session.id);
  });

  it('signing the browser out leaves the phone signed in', async () => {
    const phone = await signedInPhone(host.url, 'bo@example.com');
    const { page } = await logInByQr(phone);
    const signedOut = await page.evaluate(async () => {
      const response = await fetch('/api/auth/sign-out', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        credentials: 'same-origin',
      });
      return response.status;
    });
    expect(signedOut).toBe(200);
    expect(await pageSession(page)).toBeNull();
    const stillSignedIn = await phone.client.getSession();
    expect(stillSignedIn.data?.user.id).toBe(phone.userId);
  });
});
