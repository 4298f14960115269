import {
  CONTEXT_TEST_VECTOR as C,
  LEGACY_CONFIRM_TEST_VECTOR as L,
  QrLoginError,
  SIGNING_TEST_VECTOR as V,
} from '@qrlogin/protocol';
import { describe, expect, it } from 'vitest';
import type { ApprovalReceipt } from './store/types.js';
import { verifyReceipt } from './verify-receipt.js';

// The published vectors make a receipt: the version 3 confirm signs the context vector's digest.
const receipt: ApprovalReceipt = {
  message: V.message,
  signature: V.signature,
  publicKey: V.publicKey,
  context: C.text,
};

async function refusal(value: unknown, publicKey?: string): Promise<string> {
  const error = await verifyReceipt(value as ApprovalReceipt, publicKey).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(QrLoginError);
  return `${(error as QrLoginError).code}: ${(error as QrLoginError).message}`;
}

describe('verifyReceipt', () => {
  it('verifies the receipt the published vectors make, and returns what it proves', async () => {
    expect(await verifyReceipt(receipt, V.publicKey)).toEqual({
      audience: 'https://example.com',
      sessionId: V.fields.sessionId,
      deviceId: V.fields.deviceId,
      publicKey: V.publicKey,
      challenge: V.fields.challenge,
      timestamp: V.fields.timestamp,
      code: '42',
      contextDigest: C.digest,
      context: C.request,
    });
    expect(await verifyReceipt(receipt)).toMatchObject({ sessionId: V.fields.sessionId });
  });

  it('names the check that failed', async () => {
    expect(await refusal(null)).toMatch(/^INVALID_REQUEST: receipt: message and context/);
    expect(await refusal({ ...receipt, signature: 'x' })).toMatch(/^INVALID_REQUEST: .*signature/);
    expect(await refusal({ ...receipt, publicKey: 'x' })).toMatch(/^INVALID_REQUEST: .*publicKey/);
    expect(await refusal({ ...receipt, message: L.message, signature: L.signature })).toMatch(
      /^INVALID_REQUEST: .*not a version 3 confirm/,
    );
    expect(await refusal({ ...receipt, message: `${V.message}\n` })).toMatch(/^INVALID_REQUEST: .*canonical/);
    expect(await refusal({ ...receipt, context: `${C.text}\n` })).toMatch(/^INVALID_REQUEST: .*context is not/);
    const otherSession = C.text.replace(`sid:${C.request.sessionId}`, 'sid:X1StGXR8_Z5jdHi6B-myT0');
    expect(await refusal({ ...receipt, context: otherSession })).toMatch(/^CONTEXT_MISMATCH: .*another session/);
    const otherPlace = C.text.replace('place:WsO8cmljaCwgQ0g', 'place:SG9tZQ');
    expect(await refusal({ ...receipt, context: otherPlace })).toMatch(/^CONTEXT_MISMATCH: .*digest of another/);
    expect(await refusal(receipt, 'B6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg')).toMatch(/another public key/);
    const forged = { ...receipt, signature: `A${V.signature.slice(1)}` };
    expect(await refusal(forged)).toMatch(/^SIGNATURE_INVALID: /);
  });
});
