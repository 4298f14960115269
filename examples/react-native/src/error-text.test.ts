import { QrLoginError } from '@qrlogin/app';
import { describe, expect, it } from 'vitest';
import { errorText } from './error-text.js';

const GENERIC = 'Something went wrong. Please try again.';

describe('errorText', () => {
  it('has a sentence for every error scan / confirm / reject can end in', () => {
    const codes = [
      'FOREIGN_QR',
      'INVALID_QR',
      'SESSION_NOT_FOUND',
      'SESSION_EXPIRED',
      'ALREADY_SCANNED',
      'INVALID_STATE',
      'DEVICE_REVOKED',
      'DEVICE_NOT_FOUND',
      'CODE_REQUIRED',
      'CODE_MISMATCH',
      'PROXIMITY_DENIED',
      'TIMESTAMP_SKEW',
      'RATE_LIMITED',
      'NETWORK_ERROR',
    ] as const;
    const texts = codes.map((code) => errorText(new QrLoginError(code)));
    expect(texts.filter((text) => text === GENERIC)).toEqual([]);
    expect(new Set(texts).size).toBe(codes.length);
  });

  it('never shows a developer message for unexpected codes, and shows a refused prompt as is', () => {
    expect(errorText(new QrLoginError('INTERNAL_ERROR', 'stack details'))).toBe(GENERIC);
    expect(errorText(new Error('Sign-in was not confirmed.'))).toBe('Sign-in was not confirmed.');
  });
});
