/**
 * Real headless Chromium for the end-to-end tests: Debian's `chromium` driven by playwright-core
 * (install it with `.ci/install-chromium.sh`), plus what every e2e file needs around a page —
 * reading the QR from the widget's pixels, and recording what the page saw.
 */
import { existsSync } from 'node:fs';
import jsQR from 'jsqr';
import { type Browser, chromium, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

const missing = !existsSync(CHROMIUM_PATH);
const inCi = process.env.CI === 'true';

/**
 * True when the e2e files should skip: Chromium is missing on a developer machine. In CI
 * (`CI=true`) this stays false, so a missing browser fails the run instead of passing silently.
 */
export const skipWithoutChromium = missing && !inCi;
if (skipWithoutChromium) {
  console.warn(
    `\n⚠ e2e tests SKIPPED: no Chromium at ${CHROMIUM_PATH}. Install it with .ci/install-chromium.sh ` +
      '(apt-get install -y chromium). In CI (CI=true) these tests fail instead.\n',
  );
}

/** Starts headless Chromium; throws a message saying how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (missing) {
    throw new Error(
      `Chromium is required for the e2e tests but ${CHROMIUM_PATH} does not exist: run .ci/install-chromium.sh`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Epoch milliseconds with sub-millisecond precision, comparable with {@link PageLog} timestamps. */
export const nowMs = (): number => performance.timeOrigin + performance.now();

/** One thing the page recorded (see {@link recordPageEvents}). */
export interface PageEvent {
  /** `qrlogin-state:<state>`, `qrlogin-login`, `qrlogin-error:<code>` or `csp:<directive>`. */
  type: string;
  /** Epoch ms on the page's clock (`performance.timeOrigin + performance.now()`). */
  at: number;
  detail?: string;
}

/** What a page did, collected across its navigations. */
export interface PageLog {
  /** Everything recorded by the in-page listeners, in order. */
  events(): Promise<PageEvent[]>;
  /** Console errors and uncaught exceptions. */
  errors: string[];
}

/**
 * Installs listeners in every document the page loads, before any page script runs: the widget's
 * events and every `securitypolicyviolation`. They write to `sessionStorage`, which survives the
 * widget's redirect to the signed-in page, so one log covers the whole login. Console errors and
 * uncaught exceptions are collected on the Node side.
 */
export async function recordPageEvents(page: Page): Promise<PageLog> {
  await page.addInitScript(() => {
    const KEY = 'e2e-events';
    const record = (type: string, detail?: string) => {
      const events = JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as unknown[];
      events.push({ type, at: performance.timeOrigin + performance.now(), detail });
      sessionStorage.setItem(KEY, JSON.stringify(events));
    };
    const win = window as unknown as { __cspViolations: string[] };
    win.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      win.__cspViolations.push(`${event.effectiveDirective} ${event.blockedURI}`);
      record(`csp:${event.effectiveDirective}`, `${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
    });
    document.addEventListener('qrlogin-state', (event) => {
      record(`qrlogin-state:${(event as CustomEvent<{ state: string }>).detail.state}`);
    });
    document.addEventListener('qrlogin-login', () => record('qrlogin-login'));
    document.addEventListener('qrlogin-error', (event) => {
      const detail = (event as CustomEvent<{ code: string; message: string }>).detail;
      record(`qrlogin-error:${detail.code}`, detail.message);
    });
  });
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return {
    errors,
    events: () => page.evaluate(() => JSON.parse(sessionStorage.getItem('e2e-events') ?? '[]') as PageEvent[]),
  };
}

/**
 * Decodes the QR code in a PNG with jsQR, the way a phone camera would read the screen.
 * Throws when there is no readable code in the image.
 */
export function decodeQrPng(png: Buffer): string {
  const image = PNG.sync.read(png);
  const code = jsQR(
    new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length),
    image.width,
    image.height,
  );
  if (!code) throw new Error(`no QR code found in the ${image.width}×${image.height} screenshot`);
  return code.data;
}

/**
 * Waits for `<qr-login>` to show a fresh code, screenshots just the code and decodes it.
 * Returns the decoded text and the PNG.
 */
export async function readQrFromWidget(page: Page): Promise<{ text: string; png: Buffer }> {
  await page.locator('qr-login[state="pending"]').waitFor();
  const qr = page.locator('qr-login [part="qr"]');
  await qr.locator('svg').waitFor();
  const png = await qr.screenshot();
  return { text: decodeQrPng(png), png };
}

/**
 * The number the widget shows once the phone has scanned (number matching), read from the page
 * as the user would read it.
 */
export async function readCodeFromWidget(page: Page): Promise<string> {
  await page.locator('qr-login[state="scanned"]').waitFor();
  const code = (await page.locator('qr-login [part="code"]').textContent())?.trim() ?? '';
  if (!/^[0-9]{2}$/.test(code)) throw new Error(`the widget shows no two-digit code, but ${JSON.stringify(code)}`);
  return code;
}
