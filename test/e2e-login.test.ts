/**
 * The login page in real headless Chromium against the demo host app: the QR is read from the
 * widget's pixels, a phone in Node (the real `@qrlogin/app`) scans it and answers, and the page
 * must end signed in with the host's cookie — or, on reject, say so and hold no cookie.
 */
import { describe, expect, it } from 'vitest';
import {
  nowMs,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { demoInChromium } from './helpers/demo-in-chromium.js';
import { newNodePhone } from './helpers/demo-server.js';

describe.skipIf(skipWithoutChromium)('login page in Chromium, phone in Node', () => {
  const x = demoInChromium({ context: {} });

  it('confirm: the page reaches "Signed in" with the host session cookie, and no secret in any URL', async () => {
    const page = await x.context.newPage();
    const log = await recordPageEvents(page);
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    const created = page.waitForResponse((r) => r.url() === `${x.demo.url}/qrlogin/sessions` && r.status() === 201);
    await page.goto(x.demo.url);
    const { browserSecret, qrPayload } = (await (await created).json()) as { browserSecret: string; qrPayload: string };

    const { text } = await readQrFromWidget(page);
    expect(text).toBe(qrPayload);
    expect(text).toMatch(new RegExp(`^${x.demo.url}/qrlogin/q/1/[A-Za-z0-9_-]{22,}$`));

    const phone = await newNodePhone(x.demo);
    const request = await phone.scan(text);
    expect(request.origin).toBe(x.demo.url);
    expect(request.requester.ip).toBe('127.0.0.1');
    expect(request.requester.browser).toMatch(/Chrom/);
    expect(request.codeRequired).toBe(true);
    const code = await readCodeFromWidget(page);

    let serverConfirmedAt = Number.NaN;
    x.demo.qr.events.once('confirmed', () => {
      serverConfirmedAt = nowMs();
    });
    const confirmSentAt = nowMs();
    const decision = await request.confirm({ code });
    const confirmAnsweredAt = nowMs();
    expect(decision.state).toBe('confirmed');

    await page.locator('h1.signed-in').waitFor();
    expect(await page.locator('h1').textContent()).toBe('Signed in as ana@example.com');
    const cookies = await x.context.cookies(x.demo.url);
    const session = cookies.find((cookie) => cookie.name === 'demo_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const events = await log.events();
    const types = events.map((event) => event.type);
    expect(types).toEqual([
      'qrlogin-state:pending',
      'qrlogin-state:scanned',
      'qrlogin-state:confirmed',
      'qrlogin-login',
    ]);
    const confirmedAt = events.find((event) => event.type === 'qrlogin-state:confirmed')?.at as number;
    const loggedInAt = events.find((event) => event.type === 'qrlogin-login')?.at as number;
    console.log(
      `[e2e figure] confirm request → server state change: ${(serverConfirmedAt - confirmSentAt).toFixed(1)} ms; ` +
        `→ HTTP answer: ${(confirmAnsweredAt - confirmSentAt).toFixed(1)} ms; ` +
        `→ page status "confirmed": ${(confirmedAt - confirmSentAt).toFixed(1)} ms; ` +
        `→ redeemed, host session set: ${(loggedInAt - confirmSentAt).toFixed(1)} ms (WebSocket transport)`,
    );
    expect(urls.some((url) => url.includes(browserSecret))).toBe(false);
    expect(log.errors).toEqual([]);
  });

  it('reject: the page shows the refusal, holds no session cookie and stays signed out', async () => {
    const page = await x.context.newPage();
    const log = await recordPageEvents(page);
    await page.goto(x.demo.url);
    const { text } = await readQrFromWidget(page);
    const phone = await newNodePhone(x.demo);
    const request = await phone.scan(text);
    await readCodeFromWidget(page);

    expect((await request.reject()).state).toBe('rejected');

    await page.locator('qr-login[state="rejected"]').waitFor();
    expect(await page.locator('qr-login [part="status"]').textContent()).toBe('Sign-in was declined on the phone.');
    expect(await page.locator('qr-login [part="refresh"]').isVisible()).toBe(true);
    expect((await x.context.cookies(x.demo.url)).map((cookie) => cookie.name)).not.toContain('demo_session');
    // A late confirm cannot turn the refusal around.
    await expect(request.confirm({ code: '00' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await page.reload();
    expect(await page.locator('h1').textContent()).toBe('Sign in to the demo site');
    expect((await log.events()).map((event) => event.type)).toContain('qrlogin-state:rejected');
    expect(log.errors).toEqual([]);
  });
});
