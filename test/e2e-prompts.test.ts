/**
 * Linked browsers in real headless Chromium against the demo host app: a browser that signed in
 * before (by QR) asks "send a prompt to my phone"; the demo's `promptDevices` hook delivers the
 * prompt to the phone's inbox, which a phone in Node (the real `@qrlogin/app`) long-polls; the phone
 * scans the payload exactly like a QR and types the number the page shows. Also: the fourth prompt
 * in ten minutes is refused for push fatigue and the page falls back to the QR, another user's
 * device cannot answer a prompt, and a browser the phone signed out can no longer prompt it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Demo } from '../examples/demo/src/server.js';
import { createQrLoginApp, generateDeviceKeys, type QrLoginApp } from '../packages/app/src/index.js';
import { readCodeFromWidget, readQrFromWidget, recordPageEvents, skipWithoutChromium } from './helpers/chromium.js';
import { demoInChromium } from './helpers/demo-in-chromium.js';
import { newNodePhone } from './helpers/demo-server.js';

/** The phone's push channel in the demo: the inbox the `promptDevices` hook fills, for the app user. */
async function phoneInbox(demo: Demo): Promise<() => Promise<string>> {
  const opened = await fetch(`${demo.url}/phone`);
  const appCookie = opened.headers
    .getSetCookie()
    .find((c) => c.startsWith('demo_app='))
    ?.split(';')[0] as string;
  return async () => {
    for (;;) {
      const response = await fetch(`${demo.url}/demo/prompts`, { headers: { cookie: appCookie } });
      if (response.status === 200) return ((await response.json()) as { qrPayload: string }).qrPayload;
      if (response.status !== 204) throw new Error(`GET /demo/prompts answered ${response.status}`);
    }
  };
}

/** Signs the page in by QR (the first time), then signs out: a linked, signed-out browser. */
async function linkThenSignOut(page: Page, demo: Demo, phone: QrLoginApp): Promise<void> {
  await page.goto(demo.url);
  expect(await page.locator('qr-login[prompt]').count()).toBe(0);
  const { text } = await readQrFromWidget(page);
  const request = await phone.scan(text);
  // The demo runs with number matching off here: the QR sign-in asks for no code…
  expect(request.codeRequired).toBe(false);
  await request.confirm();
  await page.locator('h1.signed-in').waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.locator('qr-login[prompt]').waitFor();
}

const promptStatus = (page: Page) => page.locator('qr-login [part="prompt-status"]');

describe.skipIf(skipWithoutChromium)('linked-browser prompts in Chromium, phone in Node', () => {
  // Number matching off for the QR sign-in, and every prompt must ask for one all the same.
  const x = demoInChromium({ context: {} }, { numberMatching: false });

  it('a linked browser sends a prompt; the phone gets it through the hook, types the number, the page signs in', async () => {
    const page = await x.context.newPage();
    const log = await recordPageEvents(page);
    const phone = await newNodePhone(x.demo);
    await linkThenSignOut(page, x.demo, phone);
    const cookies = await x.context.cookies(`${x.demo.url}/qrlogin/sessions`);
    // The token is a cookie no script can read, sent to the qrlogin routes only.
    expect(cookies.find((c) => c.name === 'qrlogin_prompt')).toMatchObject({
      httpOnly: true,
      path: '/qrlogin',
      sameSite: 'Strict',
    });
    expect(await page.evaluate(() => document.cookie)).not.toContain('qrlogin_prompt');

    const inbox = await phoneInbox(x.demo);
    const received = inbox();
    const button = page.locator('qr-login [part="prompt"]');
    expect(await button.textContent()).toBe('Send a prompt to my phone');
    await button.click();
    const qrPayload = await received;
    expect(qrPayload).toMatch(new RegExp(`^${x.demo.url}/qrlogin/q/1/[A-Za-z0-9_-]{22}$`));
    await expect.poll(() => promptStatus(page).textContent()).toMatch(/^Prompt sent\./);

    // The same call, screen and signature as a scan; the number is mandatory although only shown here.
    const request = await phone.scan(qrPayload);
    expect(request.codeRequired).toBe(true);
    expect(request.requester.browser).toMatch(/Chrom/);
    const code = await readCodeFromWidget(page);
    expect((await request.confirm({ code })).state).toBe('confirmed');
    await page.locator('h1.signed-in').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Signed in as ana@example.com');
    expect(log.errors).toEqual([]);
  });

  it('push fatigue: the fourth prompt in ten minutes is refused and the page shows the QR, which still signs in', async () => {
    const page = await x.context.newPage();
    const phone = await newNodePhone(x.demo);
    await linkThenSignOut(page, x.demo, phone);
    const button = page.locator('qr-login [part="prompt"]');
    const prompted: string[] = [];
    x.demo.qr.events.on('prompted', ({ sessionId }) => prompted.push(sessionId));
    for (let i = 1; i <= 3; i++) {
      await button.click();
      await expect.poll(() => prompted.length).toBe(i);
      await expect.poll(() => promptStatus(page).textContent()).toMatch(/^Prompt sent\./);
    }
    const limited = page.waitForResponse((r) => r.url().endsWith('/qrlogin/sessions') && r.status() === 429);
    await button.click();
    expect(((await (await limited).json()) as { error: { code: string } }).error.code).toBe('PROMPT_LIMITED');
    await expect
      .poll(() => promptStatus(page).textContent())
      .toBe('Too many prompts were sent. Scan the QR code instead.');
    expect(prompted).toHaveLength(3);

    // The fallback is a plain QR session (no code with number matching off): any way in stays open.
    const { text } = await readQrFromWidget(page);
    const request = await phone.scan(text);
    expect(request.codeRequired).toBe(false);
    await request.confirm();
    await page.locator('h1.signed-in').waitFor();
  });

  it('a browser the phone signed out cannot prompt it: the button goes and the QR still signs in', async () => {
    const page = await x.context.newPage();
    const phone = await newNodePhone(x.demo);
    await linkThenSignOut(page, x.demo, phone);
    // Signed in again (by QR), then ended from the phone: the user disowns this browser.
    const { text } = await readQrFromWidget(page);
    await (await phone.scan(text)).confirm();
    await page.locator('h1.signed-in').waitFor();
    const [newest] = await phone.listLogins();
    await phone.endLogin(newest?.id as string);
    await page.locator('qr-login[prompt][state="pending"]').waitFor({ timeout: 10_000 });

    const prompted: string[] = [];
    x.demo.qr.events.on('prompted', ({ sessionId }) => prompted.push(sessionId));
    const refused = page.waitForResponse((r) => r.url().endsWith('/qrlogin/sessions') && r.status() === 401);
    await page.locator('qr-login [part="prompt"]').click();
    expect(((await (await refused).json()) as { error: { code: string } }).error.code).toBe('PROMPT_INVALID');
    await expect
      .poll(() => promptStatus(page).textContent())
      .toBe('This browser can no longer send prompts. Scan the QR code instead.');
    expect(await page.locator('qr-login [part="prompt"]').isHidden()).toBe(true);
    expect(prompted).toEqual([]);

    const again = await phone.scan((await readQrFromWidget(page)).text);
    await again.confirm();
    await page.locator('h1.signed-in').waitFor();
  });

  it('the demo phone simulator gets the prompt and shows the same confirm screen as a scan', async () => {
    const page = await x.context.newPage();
    await linkThenSignOut(page, x.demo, await newNodePhone(x.demo));
    // The phone simulator in its own browser context: its own app cookie and device key.
    const handset = await x.browser.newContext();
    try {
      const phone = await handset.newPage();
      const phoneLog = await recordPageEvents(phone);
      await phone.goto(`${x.demo.url}/phone`);
      await phone.locator('#device-status', { hasText: /registered/ }).waitFor();
      await page.locator('qr-login [part="prompt"]').click();
      await phone.locator('#confirm-screen').waitFor();
      expect(await phone.locator('#confirm-site').textContent()).toBe(x.demo.url);
      expect(await phone.locator('#confirm-browser').textContent()).toMatch(/Chrom.* on Linux/);
      expect(await phone.locator('#code-field').isVisible()).toBe(true);
      await phone.locator('#code-input').fill(await readCodeFromWidget(page));
      await phone.locator('#confirm').click();
      await page.locator('h1.signed-in').waitFor();
      expect(phoneLog.errors).toEqual([]);
    } finally {
      await handset.close();
    }
  });

  it("another user's device cannot answer the prompt; the user's own phone still can", async () => {
    const page = await x.context.newPage();
    const phone = await newNodePhone(x.demo);
    await linkThenSignOut(page, x.demo, phone);
    const keys = generateDeviceKeys();
    const other = await x.demo.qr.registerDevice({
      userId: 'mallory@example.com',
      publicKey: keys.publicKey,
      label: 'mallory',
    });
    const mallory = createQrLoginApp({ baseUrl: `${x.demo.url}/qrlogin`, deviceId: other.id, keys });

    const received = (await phoneInbox(x.demo))();
    await page.locator('qr-login [part="prompt"]').click();
    const qrPayload = await received;
    await expect(mallory.scan(qrPayload)).rejects.toMatchObject({ code: 'PROMPT_WRONG_USER' });
    expect(await page.locator('qr-login').getAttribute('state')).toBe('pending');

    const request = await phone.scan(qrPayload);
    await request.confirm({ code: await readCodeFromWidget(page) });
    await page.locator('h1.signed-in').waitFor();
  });
});
