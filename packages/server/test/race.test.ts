/**
 * Races: every state change is a compare-and-set, so concurrent writers on one session produce
 * exactly one outcome, over real HTTP and under arbitrary interleavings of store calls.
 */
import type { CreateSessionResponse, LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore, type SessionStore } from '../src/index.js';
import { createSession, newDevice, startServer, type TestServer } from './helpers.js';

let t: TestServer;
afterEach(() => t?.close());

describe('100 concurrent confirms / rejects / cancels / redeems on one session', () => {
  it('produce exactly one outcome and exactly one successful redeem', async () => {
    t = await startServer();
    const phone = await newDevice(t);
    for (let round = 0; round < 5; round++) {
      const session = await createSession(t);
      const request = (await phone.scan(session.sessionId)).body as LoginRequest;
      const cancel = () =>
        fetch(`${t.base}/sessions/${session.sessionId}`, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${session.browserSecret}` },
        }).then((r) => r.status);
      const redeem = () =>
        t.qr.redeem(session).then(
          () => 'redeemed',
          (e) => e.code as string,
        );
      const racers: Promise<unknown>[] = [];
      const wins = { confirm: 0, reject: 0, cancel: 0 };
      for (let i = 0; i < 25; i++) {
        racers.push(phone.confirm(request).then((r) => r.status === 200 && wins.confirm++));
        racers.push(phone.reject(request).then((r) => r.status === 200 && wins.reject++));
        racers.push(cancel().then((s) => s === 200 && wins.cancel++));
        racers.push(redeem());
      }
      const results = await Promise.all(racers);
      expect(wins.confirm + wins.reject + wins.cancel).toBe(1);
      const earlyRedeems = results.filter((r) => r === 'redeemed').length;
      expect(earlyRedeems).toBeLessThanOrEqual(wins.confirm);
      if (wins.confirm === 1) {
        const late = await Promise.all(Array.from({ length: 100 }, redeem));
        expect(earlyRedeems + late.filter((r) => r === 'redeemed').length).toBe(1);
        expect((await t.qr.inspect(session.sessionId))?.state).toBe('redeemed');
      } else {
        expect((await t.qr.inspect(session.sessionId))?.state).toBe(wins.reject ? 'rejected' : 'cancelled');
      }
    }
  });
});

describe('state machine under arbitrary interleavings (fast-check scheduler)', () => {
  /** Wraps a store so every call resolves when the scheduler says so. */
  function scheduled(store: SessionStore, s: fc.Scheduler): SessionStore {
    return {
      create: (r, u) => store.create(r, u),
      get: (id) => s.schedule(Promise.resolve(store.get(id)), 'get'),
      compareAndSet: (n, v, u) => s.schedule(Promise.resolve(store.compareAndSet(n, v, u)), `cas ${n.state}`),
      hit: (k, w) => store.hit(k, w),
    };
  }

  it('exactly one decision wins and redeem succeeds at most once', async () => {
    t = await startServer();
    const phone = await newDevice(t);
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.constantFrom('confirm', 'reject', 'cancel', 'redeem'), { minLength: 2, maxLength: 8 }),
        async (s, ops) => {
          const inner = memoryStore();
          await t.close();
          t = await startServer({ store: scheduled(inner, s) });
          const device = await newDevice(t);
          const session = await t.qr
            .fetch(new Request(`${t.base}/sessions`, { method: 'POST' }))
            .then((r) => r.json() as Promise<CreateSessionResponse>);
          const scanP = device.scan(session.sessionId);
          await s.waitFor(scanP);
          const request = (await scanP).body as LoginRequest;
          const outcomes = ops.map((op) => {
            if (op === 'redeem')
              return t.qr.redeem(session).then(
                () => 'redeem',
                () => null,
              );
            if (op === 'cancel') {
              return t.qr
                .fetch(
                  new Request(`${t.base}/sessions/${session.sessionId}`, {
                    method: 'DELETE',
                    headers: { authorization: `Bearer ${session.browserSecret}` },
                  }),
                )
                .then((r) => (r.status === 200 ? 'cancel' : null));
            }
            return (op === 'confirm' ? device.confirm(request) : device.reject(request)).then((r) =>
              r.status === 200 ? op : null,
            );
          });
          await s.waitFor(Promise.all(outcomes));
          const won = (await Promise.all(outcomes)).filter(Boolean);
          const decisions = won.filter((w) => w !== 'redeem');
          // A run of nothing but redeems has no decision to win.
          expect(decisions.length).toBe(ops.some((op) => op !== 'redeem') ? 1 : 0);
          expect(won.filter((w) => w === 'redeem').length).toBeLessThanOrEqual(decisions[0] === 'confirm' ? 1 : 0);
          inner.close?.();
        },
      ),
      { numRuns: 25 },
    );
    void phone;
  });
});
