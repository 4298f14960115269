/**
 * A network that blocks WebSocket: every upgrade to `/qrlogin/ws` is refused at the browser, so
 * the widget must fall back to long-poll and still complete the login.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../examples/demo/src/server.js';
import {
  launchChromium,
  nowMs,
  readCodeFromWidget,
  readQrFromWidget,
  recordPageEvents,
  skipWithoutChromium,
} from './helpers/chromium.js';
import { newNodePhone, startTestDemo } from './helpers/demo-server.js';

describe.skipIf(skipWithoutChromium)('WebSocket blocked', () => {
  let browser: Browser;
  let demo: Demo;

  beforeAll(async () => {
    browser = await launchChromium();
    demo = await startTestDemo();
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.close();
  });

  it('the login completes over long-poll', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const log = await recordPageEvents(page);
    let socketAttempts = 0;
    await page.routeWebSocket('**/qrlogin/ws', (ws) => {
      socketAttempts++;
      // Never connected to the server: the page sees the socket close before it opens.
      ws.close({ code: 1006 }).catch(() => {});
    });
    const polls: string[] = [];
    page.on('request', (request) => {
      if (/\/qrlogin\/sessions\/[^/?]+\?after=\d+$/.test(request.url())) polls.push(request.url());
    });

    await page.goto(demo.url);
    const { text } = await readQrFromWidget(page);
    const phone = await newNodePhone(demo);
    const request = await phone.scan(text);
    const code = await readCodeFromWidget(page);
    const confirmSentAt = nowMs();
    await request.confirm({ code });
    await page.locator('h1.signed-in').waitFor();

    expect(socketAttempts).toBeGreaterThanOrEqual(1);
    expect(demo.qr.socketCount).toBe(0);
    // One poll is held while pending, the next while scanned, the next sees confirmed.
    expect(polls.length).toBeGreaterThanOrEqual(2);
    const cookies = await context.cookies(demo.url);
    expect(cookies.map((cookie) => cookie.name)).toContain('demo_session');
    const events = await log.events();
    expect(events.map((event) => event.type)).toEqual([
      'qrlogin-state:pending',
      'qrlogin-state:scanned',
      'qrlogin-state:confirmed',
      'qrlogin-login',
    ]);
    const confirmedAt = events.find((event) => event.type === 'qrlogin-state:confirmed')?.at as number;
    console.log(
      `[e2e figure] confirm request → page status "confirmed": ${(confirmedAt - confirmSentAt).toFixed(1)} ms (long-poll transport)`,
    );
    expect(log.errors).toEqual([]);
    await context.close();
  });
});
