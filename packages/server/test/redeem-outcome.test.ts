/**
 * A redeem whose outcome the host never heard: the store times out (503) but the
 * `confirmed → redeemed` write lands anyway. The host's retry with the same secret must still sign
 * the user in, once, with one `redeemed` event and one `onLogin`; a different secret, a second
 * taker, or a retry after the window must still be refused. The Redis twin, with a really frozen
 * Redis, is packages/redis/test/redis-redeem-outage.test.ts.
 */
import type { LoginRequest } from '@qrlogin/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { REDEEM_RETRY_WINDOW_MS } from '../src/browser-actions.js';
import type { QrLoginOptions } from '../src/index.js';
import { createSession, newDevice, startServer, type TestServer } from './helpers.js';
import { lateWriteStore } from './late-write-store.js';

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function confirmedSession(options: Partial<QrLoginOptions>) {
  t = await startServer(options);
  const session = await createSession(t);
  const phone = await newDevice(t);
  const request = (await phone.scan(session.sessionId)).body as LoginRequest;
  expect((await phone.confirm(request)).status).toBe(200);
  return { server: t, session };
}

describe('redeem answered 503 while its write landed', () => {
  it('the retry with the same secret signs the user in, and redeemed / onLogin fire exactly once', async () => {
    const store = lateWriteStore();
    store.failRedeemWrites = 1;
    const onLogin = vi.fn();
    const { server, session } = await confirmedSession({ store, onLogin });
    const redeemed = vi.fn();
    server.qr.events.on('redeemed', redeemed);

    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE', status: 503 });
    expect((await server.qr.inspect(session.sessionId))?.state).toBe('redeemed');
    expect(redeemed).not.toHaveBeenCalled();

    const login = await server.qr.redeem(session);
    expect(login).toMatchObject({ sessionId: session.sessionId, userId: 'alice' });
    expect(redeemed).toHaveBeenCalledTimes(1);
    expect(redeemed.mock.calls[0]?.[0]).toMatchObject({ userId: 'alice', redeemedAt: login.redeemedAt });
    await vi.waitFor(() => expect(onLogin).toHaveBeenCalledTimes(1), { timeout: 5_000 });

    // Handed out once: the same secret again is a replay.
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
    expect(redeemed).toHaveBeenCalledTimes(1);
    expect(onLogin).toHaveBeenCalledTimes(1);
  });

  it('a different secret is refused and takes nothing; the right one still can', async () => {
    const store = lateWriteStore();
    store.failRedeemWrites = 1;
    const { server, session } = await confirmedSession({ store });
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const other = await createSession(server);
    await expect(
      server.qr.redeem({ sessionId: session.sessionId, browserSecret: other.browserSecret }),
    ).rejects.toMatchObject({ code: 'INVALID_SECRET' });
    await expect(server.qr.redeem(session)).resolves.toMatchObject({ userId: 'alice' });
  });

  it('concurrent retries: exactly one gets the redemption, the others ALREADY_REDEEMED', async () => {
    const store = lateWriteStore();
    store.failRedeemWrites = 1;
    const { server, session } = await confirmedSession({ store });
    const redeemed = vi.fn();
    server.qr.events.on('redeemed', redeemed);
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => server.qr.redeem(session)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'ALREADY_REDEEMED' });
    }
    expect(redeemed).toHaveBeenCalledTimes(1);
  });

  it('after the retry window the redemption is gone: ALREADY_REDEEMED, no event', async () => {
    const store = lateWriteStore();
    store.failRedeemWrites = 1;
    let now = Date.now();
    const { server, session } = await confirmedSession({ store, now: () => now });
    const redeemed = vi.fn();
    server.qr.events.on('redeemed', redeemed);
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    now += REDEEM_RETRY_WINDOW_MS + 1;
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
    expect(redeemed).not.toHaveBeenCalled();
  });

  it('a claim whose answer was lost still signs the user in, once', async () => {
    const store = lateWriteStore();
    store.failClaimWrites = 1;
    const { server, session } = await confirmedSession({ store });
    const redeemed = vi.fn();
    server.qr.events.on('redeemed', redeemed);
    await expect(server.qr.redeem(session)).resolves.toMatchObject({ userId: 'alice' });
    await expect(server.qr.redeem(session)).rejects.toMatchObject({ code: 'ALREADY_REDEEMED' });
    expect(redeemed).toHaveBeenCalledTimes(1);
  });
});
