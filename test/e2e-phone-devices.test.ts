/**
 * The phone simulator's "Devices" list in real Chromium against the real demo: the user's devices
 * appear (this phone marked), another device is renamed and revoked from the page, and the server
 * holds exactly that afterwards — the revoked device's own signed calls are refused, and the browser
 * it had signed in is signed out (its host session ended, its page back at the QR).
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCodeFromWidget, readQrFromWidget, recordPageEvents, skipWithoutChromium } from './helpers/chromium.js';
import { demoInChromium, hostSessionStatus } from './helpers/demo-in-chromium.js';
import { newNodePhone } from './helpers/demo-server.js';

describe.skipIf(skipWithoutChromium)('phone simulator: Devices', () => {
  const x = demoInChromium({
    handset: { viewport: { width: 420, height: 860 }, isMobile: true, hasTouch: true },
    desktop: {},
  });

  beforeAll(async () => {
    await mkdir('test-artifacts', { recursive: true });
  });

  const rowOf = (phone: Page, deviceId: string) => phone.locator(`li.device[data-device-id="${deviceId}"]`);

  it('lists the devices, renames and revokes another one from the page', async () => {
    const phone = await x.handset.newPage();
    const log = await recordPageEvents(phone);
    await phone.goto(`${x.demo.url}/phone`);
    await phone.locator('#device-status', { hasText: /registered/ }).waitFor();
    await phone.locator('li.device').first().waitFor();
    expect(await phone.locator('li.device').count()).toBe(1);
    expect(await phone.locator('li.device small').first().textContent()).toMatch(/^This phone · added /);

    // A second phone of the same user, registered from Node with the real app package.
    const tablet = await newNodePhone(x.demo);
    await phone.locator('#devices-refresh').click();
    await rowOf(phone, tablet.deviceId).waitFor();
    expect(await phone.locator('li.device').count()).toBe(2);

    await rowOf(phone, tablet.deviceId).locator('input').fill('Old tablet');
    await rowOf(phone, tablet.deviceId).getByRole('button', { name: 'Rename' }).click();
    await phone.locator('#devices-status', { hasText: 'Renamed to “Old tablet”.' }).waitFor();
    const userId = (await phone.locator('#app-user').textContent()) as string;
    expect((await x.demo.qr.listDevices(userId)).find((d) => d.id === tablet.deviceId)?.label).toBe('Old tablet');

    // A desktop browser signs in by QR with the tablet: revoking the tablet must sign it out.
    const desk = await x.desktop.newPage();
    await desk.goto(x.demo.url);
    const request = await tablet.scan((await readQrFromWidget(desk)).text);
    await request.confirm({ code: await readCodeFromWidget(desk) });
    await desk.locator('h1.signed-in').waitFor();
    const me = () => hostSessionStatus(desk);
    expect(await me()).toBe(200);

    await rowOf(phone, tablet.deviceId).getByRole('button', { name: 'Revoke' }).click();
    await phone.locator(`li.device[data-device-id="${tablet.deviceId}"][data-revoked]`).waitFor();
    expect((await x.demo.qr.listDevices(userId)).find((d) => d.id === tablet.deviceId)?.revokedAt).toEqual(
      expect.any(Number),
    );
    await expect(tablet.listDevices()).rejects.toMatchObject({ code: 'DEVICE_REVOKED' });
    expect((await x.demo.qr.listLogins(userId)).map((l) => l.endReason)).toEqual(['device-revoked']);
    expect(await me()).toBe(401);
    await desk.locator('qr-login[state="pending"]').waitFor({ timeout: 10_000 });
    // This phone is untouched.
    expect((await x.demo.qr.listDevices(userId)).filter((d) => d.revokedAt === undefined)).toHaveLength(1);
    await phone.screenshot({ path: 'test-artifacts/demo-phone-devices.png', fullPage: true });
    expect(log.errors).toEqual([]);
    expect((await log.events()).filter((e) => e.type.startsWith('csp:'))).toEqual([]);
  });
});
