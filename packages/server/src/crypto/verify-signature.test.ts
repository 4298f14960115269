import { generateKeyPairSync, sign } from 'node:crypto';
import { encodeBase64Url } from '@qrlogin/protocol';
import { describe, expect, it } from 'vitest';
import { malleate } from '../../test/helpers.js';
import { InlineBudget, verifyEd25519 } from './verify-signature.js';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const raw = encodeBase64Url(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
const message = Buffer.from('scan\nsession\ndevice\n1700000000000');
const good = sign(null, message, privateKey);

describe('InlineBudget', () => {
  it('lets a lone verification run inline and refills at its share of wall time', () => {
    const budget = new InlineBudget(0.02, 1);
    expect(budget.allows(0)).toBe(true);
    budget.spend(1.5);
    // 0.5 ms overdrawn: at 2 % it takes 25 ms of wall time to come back above zero.
    expect(budget.allows(20)).toBe(false);
    expect(budget.allows(26)).toBe(true);
  });

  it('holds at most one burst, however long it was idle', () => {
    const budget = new InlineBudget(0.02, 1);
    expect(budget.allows(1_000_000)).toBe(true);
    budget.spend(0.9);
    expect(budget.allows(1_000_000)).toBe(true);
    budget.spend(0.2);
    expect(budget.allows(1_000_000)).toBe(false);
  });

  it('keeps inline work to its share under any arrival pattern', () => {
    const budget = new InlineBudget(0.02, 1);
    let inline = 0;
    // 10 s of verifications every 0.1 ms, each taking 0.09 ms when run inline.
    for (let now = 0; now < 10_000; now += 0.1) {
      if (budget.allows(now)) {
        budget.spend(0.09);
        inline += 0.09;
      }
    }
    expect(inline).toBeGreaterThan(0.02 * 10_000 * 0.9);
    expect(inline).toBeLessThanOrEqual(0.02 * 10_000 + 1 + 0.09);
  });
});

describe('verifyEd25519', () => {
  // The same answers whether the verification runs inline or on the thread pool.
  describe.each([
    ['inline', () => new InlineBudget(1, Number.POSITIVE_INFINITY)],
    ['on the thread pool', () => new InlineBudget(0, 0)],
  ])('%s', (_, budget) => {
    it('accepts a valid signature', async () => {
      expect(await verifyEd25519(raw, message, good, budget())).toBe(true);
    });

    it('refuses another message, a flipped bit, a malleated S and a wrong length', async () => {
      expect(await verifyEd25519(raw, Buffer.from('confirm'), good, budget())).toBe(false);
      const flipped = Buffer.from(good);
      flipped[5] = (flipped[5] as number) ^ 1;
      expect(await verifyEd25519(raw, message, flipped, budget())).toBe(false);
      expect(await verifyEd25519(raw, message, malleate(good), budget())).toBe(false);
      expect(await verifyEd25519(raw, message, good.subarray(0, 63), budget())).toBe(false);
    });

    it('refuses under a key that is not 32 bytes or not a point', async () => {
      expect(await verifyEd25519(raw.slice(0, 20), message, good, budget())).toBe(false);
      expect(await verifyEd25519(encodeBase64Url(Buffer.alloc(32, 0xff)), message, good, budget())).toBe(false);
    });
  });
});
