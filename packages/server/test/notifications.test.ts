/**
 * The `notify` hook over real HTTP: one typed notice per event (a redeemed sign-in, a denied scan,
 * a conflicting scan), delivered after the response, and a throwing or hanging hook that neither
 * fails nor slows the login.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { LoginRequest } from '@qrlogin/protocol';
import { describe, expect, it } from 'vitest';
import { createQrLogin, type Notice } from '../src/index.js';
import { createSession, newDevice, serversPerTest } from './helpers.js';

const start = serversPerTest();

describe('notify', () => {
  it('sends one new-sign-in notice per redeem, with device label, browser, os and place', async () => {
    const notices: Notice[] = [];
    const t = await start({
      notify: (notice) => {
        notices.push(notice);
      },
      describeRequester: () => ({ place: 'Berlin, DE' }),
    });
    const phone = await newDevice(t, 'alice');
    const session = await createSession(t, {
      'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131.0 Safari/537.36',
    });
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect((await phone.confirm(request)).status).toBe(200);
    // Confirm alone is not a sign-in: the notice waits for the host's redeem.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(notices).toEqual([]);
    await t.qr.redeem(session);
    await expect.poll(() => notices.length).toBe(1);
    expect(notices[0]).toEqual({
      type: 'new-sign-in',
      userId: 'alice',
      device: { id: phone.deviceId, label: "alice's phone" },
      sessionId: session.sessionId,
      browser: expect.stringMatching(/^Chrome/),
      os: expect.stringMatching(/macOS/),
      place: 'Berlin, DE',
      ip: '127.0.0.1',
      at: expect.any(Number),
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(notices).toHaveLength(1);
  });

  it('sends scan-denied for a user reject and for a proximity denial, scan-conflict for a second device', async () => {
    const notices: Notice[] = [];
    const t = await start({ notify: (notice) => void notices.push(notice) });
    const phone = await newDevice(t, 'alice');
    const other = await newDevice(t, 'alice');
    const first = await createSession(t);
    const request = (await phone.scan(first.sessionId)).body as LoginRequest;
    expect((await other.scan(first.sessionId)).body.error.code).toBe('ALREADY_SCANNED');
    expect((await phone.reject(request)).status).toBe(200);
    await expect.poll(() => notices.length).toBe(2);
    expect(notices).toEqual([
      expect.objectContaining({
        type: 'scan-conflict',
        userId: 'alice',
        device: { id: other.deviceId, label: "alice's phone" },
        lockedBy: phone.deviceId,
      }),
      expect.objectContaining({
        type: 'scan-denied',
        reason: 'user',
        device: expect.objectContaining({ id: phone.deviceId }),
      }),
    ]);
  });

  it('reports a proximity denial as scan-denied', async () => {
    const notices: Notice[] = [];
    const t = await start({
      notify: (notice) => void notices.push(notice),
      proximity: 'deny',
      trustProxy: 1,
    });
    const phone = await newDevice(t, 'alice');
    const session = await createSession(t, { 'x-forwarded-for': '198.51.100.7' });
    expect((await phone.scan(session.sessionId, {})).body.error.code).toBe('PROXIMITY_DENIED');
    await expect.poll(() => notices).toEqual([expect.objectContaining({ type: 'scan-denied', reason: 'proximity' })]);
  });

  it('a throwing notify neither fails nor changes the login; its error becomes hook-error', async () => {
    const calls: string[] = [];
    const t = await start({
      notify: (notice) => {
        calls.push(notice.type);
        throw new Error('push service down');
      },
    });
    const hookErrors: unknown[] = [];
    t.qr.events.on('hook-error', (e) => hookErrors.push(e));
    const phone = await newDevice(t, 'alice');
    const session = await createSession(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    expect((await phone.confirm(request)).status).toBe(200);
    await expect(t.qr.redeem(session)).resolves.toMatchObject({ userId: 'alice' });
    await expect
      .poll(() => hookErrors)
      .toEqual([{ hook: 'notify', error: expect.objectContaining({ message: 'push service down' }) }]);
    expect(calls).toEqual(['new-sign-in']);
  });

  it('a notify that never settles does not hold redeem', async () => {
    const t = await start({ notify: () => new Promise<void>(() => {}) });
    const phone = await newDevice(t, 'alice');
    const session = await createSession(t);
    const request = (await phone.scan(session.sessionId)).body as LoginRequest;
    await phone.confirm(request);
    // A deadline, not a speed claim: a redeem that waited on the hook would never settle.
    const held = sleep(5_000, 'held', { ref: false });
    expect(await Promise.race([t.qr.redeem(session).then(() => 'redeemed'), held])).toBe('redeemed');
  });

  it('refuses a notify that is not a function at construction', async () => {
    expect(() => createQrLogin({ origin: 'https://example.com', notify: 'yes' as never })).toThrow(
      /option "notify" must be a function/,
    );
  });
});
