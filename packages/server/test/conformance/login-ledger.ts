/**
 * The conformance suite every {@link LoginLedger} must pass, memory and Redis alike: add-once,
 * whole-record reads, per-user listing newest first, an `end` whose first call wins (also under
 * concurrency), and forgetting at `retainUntil`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoginLedger, LoginRecord } from '../../src/store/types.js';
import { type ConformanceClock, realClock } from './clock.js';
import { loginRecord, randomId } from './fixtures.js';

/** What a login-ledger factory hands the suite for one test. */
export interface LoginLedgerHarness {
  logins: LoginLedger;
  /** The backend's clock; omitted means the real clock. */
  clock?: ConformanceClock;
  /** Closes the ledger and removes what the test wrote. */
  cleanup: () => Promise<void>;
}

/**
 * Registers the login-ledger conformance tests for one backend; `factory` runs before every test
 * and must return a fresh, isolated ledger.
 *
 * @example
 * testLoginLedger('memoryLoginLedger', async () => {
 *   const clock = fakeClock();
 *   const logins = memoryLoginLedger({ now: clock.now });
 *   return { logins, clock, cleanup: async () => logins.close?.() };
 * });
 */
export function testLoginLedger(name: string, factory: () => Promise<LoginLedgerHarness>): void {
  describe(`LoginLedger conformance: ${name}`, () => {
    let logins: LoginLedger;
    let clock: ConformanceClock;
    let cleanup: () => Promise<void>;
    // Users are random per test so backends shared between tests (one Redis) never mix lists.
    let alice: string;
    let bob: string;

    beforeEach(async () => {
      const harness = await factory();
      logins = harness.logins;
      clock = harness.clock ?? realClock();
      cleanup = harness.cleanup;
      alice = `alice-${randomId()}`;
      // Braces and a newline: a backend keying on the user id must not let it shape the key.
      bob = `bob {${randomId()}}\n`;
    });
    afterEach(async () => {
      await cleanup();
    });

    const retain = () => clock.now() + 60_000;

    it('adds a login and reads it back whole, receipt included', async () => {
      const login = loginRecord({ userId: alice, createdAt: clock.now() });
      expect(await logins.add(login, retain())).toBe(true);
      expect(await logins.get(login.id)).toEqual(login);
    });

    it('keeps the end of a login added already ended (a host importing history)', async () => {
      const login: LoginRecord = {
        ...loginRecord({ userId: alice, createdAt: clock.now() - 10 }),
        endedAt: clock.now() - 5,
        endReason: 'host',
      };
      expect(await logins.add(login, retain())).toBe(true);
      expect(await logins.get(login.id)).toEqual(login);
      expect(await logins.end(login.id, clock.now(), 'user')).toEqual(login);
    });

    it('answers null for an unknown login, and for ending one', async () => {
      expect(await logins.get(randomId())).toBeNull();
      expect(await logins.end(randomId(), clock.now(), 'user')).toBeNull();
    });

    it('refuses a duplicate id and writes nothing', async () => {
      const first = loginRecord({ userId: alice, createdAt: clock.now() });
      const second = loginRecord({ userId: bob, createdAt: clock.now(), id: first.id });
      expect(await logins.add(first, retain())).toBe(true);
      expect(await logins.add(second, retain())).toBe(false);
      expect(await logins.get(first.id)).toEqual(first);
      expect(await logins.listByUser(bob)).toEqual([]);
    });

    it('lets exactly one of many concurrent adds of one id win', async () => {
      const id = randomId();
      const records = Array.from({ length: 20 }, (_, i) =>
        loginRecord({ userId: `${alice}-${i}`, createdAt: clock.now(), id }),
      );
      const results = await Promise.all(records.map((r) => logins.add(r, retain())));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = records[results.indexOf(true)] as LoginRecord;
      expect(await logins.get(id)).toEqual(winner);
    });

    it('lists a user’s logins newest first, ties by id descending, and only theirs', async () => {
      const t = clock.now();
      const old = loginRecord({ userId: alice, createdAt: t - 3_000 });
      const mid = loginRecord({ userId: alice, createdAt: t - 2_000 });
      const twinA = loginRecord({ userId: alice, createdAt: t - 1_000, id: `A${randomId().slice(1)}` });
      const twinB = loginRecord({ userId: alice, createdAt: t - 1_000, id: `B${randomId().slice(1)}` });
      const bobs = loginRecord({ userId: bob, createdAt: t });
      for (const login of [mid, twinA, bobs, old, twinB]) expect(await logins.add(login, retain())).toBe(true);
      expect(await logins.listByUser(alice)).toEqual([twinB, twinA, mid, old]);
      expect(await logins.listByUser(bob)).toEqual([bobs]);
      expect(await logins.listByUser(`carol-${randomId()}`)).toEqual([]);
    });

    it('ends a login once: the first end wins, later ones change nothing', async () => {
      const login = loginRecord({ userId: alice, createdAt: clock.now() });
      await logins.add(login, retain());
      const at = clock.now() + 1;
      const ended = await logins.end(login.id, at, 'user');
      expect(ended).toEqual({ ...login, endedAt: at, endReason: 'user' });
      expect(await logins.end(login.id, at + 5, 'all')).toEqual(ended);
      expect(await logins.get(login.id)).toEqual(ended);
      expect(await logins.listByUser(alice)).toEqual([ended]);
    });

    it('lets exactly one of many concurrent ends of one login win', async () => {
      const login = loginRecord({ userId: alice, createdAt: clock.now() });
      await logins.add(login, retain());
      const base = clock.now();
      const reasons = ['user', 'all', 'report', 'host', 'device-revoked'] as const;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => logins.end(login.id, base + i, reasons[i % reasons.length] ?? 'user')),
      );
      const winners = results.filter((r, i) => r?.endedAt === base + i && r.endReason === reasons[i % reasons.length]);
      expect(winners).toHaveLength(1);
      for (const r of results) expect(r).toEqual(winners[0]);
    });

    it('returns copies: changing a returned record changes nothing stored', async () => {
      const login = loginRecord({ userId: alice, createdAt: clock.now() });
      await logins.add(login, retain());
      const read = (await logins.get(login.id)) as LoginRecord;
      read.endedAt = 1;
      read.requester.browser = 'changed';
      expect(await logins.get(login.id)).toEqual(login);
    });

    it('forgets a login at retainUntil, in get, list and end', async () => {
      // One reading of the clock: a real clock may tick between two, tying the two createdAt.
      const t = clock.now();
      const login = loginRecord({ userId: alice, createdAt: t });
      const kept = loginRecord({ userId: alice, createdAt: t - 1 });
      // Two seconds: the list below must run before `login` is forgotten, even on a stalled machine.
      await logins.add(login, t + 2_000);
      await logins.add(kept, retain());
      expect(await logins.listByUser(alice)).toEqual([login, kept]);
      await clock.advance(2_300);
      expect(await logins.get(login.id)).toBeNull();
      expect(await logins.end(login.id, clock.now(), 'user')).toBeNull();
      expect(await logins.listByUser(alice)).toEqual([kept]);
      // A forgotten id may be written again (ids are random; this only pins "forgotten means gone").
      expect(await logins.add(login, retain())).toBe(true);
    });

    it('keeps a login’s retention when it ends', async () => {
      const login = loginRecord({ userId: alice, createdAt: clock.now() });
      await logins.add(login, clock.now() + 1_000);
      await logins.end(login.id, clock.now(), 'report');
      await clock.advance(1_300);
      expect(await logins.get(login.id)).toBeNull();
      expect(await logins.listByUser(alice)).toEqual([]);
    });
  });
}
