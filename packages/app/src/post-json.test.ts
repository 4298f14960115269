import { QrLoginError } from '@qrlogin/protocol';
import { describe, expect, it } from 'vitest';
import type { FetchInitLike, FetchLike } from './platform.js';
import { postJson } from './post-json.js';

function answer(status: number, text: string, headers: Record<string, string> = {}) {
  const calls: { url: string; init: FetchInitLike }[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return { status, headers: { get: (name) => headers[name.toLowerCase()] ?? null }, text: async () => text };
  };
  return { fetch, calls };
}

async function failure(promise: Promise<unknown>): Promise<QrLoginError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(QrLoginError);
  return err as QrLoginError;
}

describe('postJson', () => {
  it('posts JSON with the caller headers and returns the parsed body', async () => {
    const { fetch, calls } = answer(201, '{"deviceId":"x"}');
    const result = await postJson(
      'https://example.com/qrlogin/devices',
      { a: 1 },
      { fetch, headers: { Authorization: 'Bearer t', 'Content-Type': 'text/plain' } },
    );
    expect(result).toEqual({ deviceId: 'x' });
    expect(calls[0]?.init).toEqual({
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'content-type': 'application/json', accept: 'application/json' },
      body: '{"a":1}',
    });
  });

  it('returns undefined for an empty success (204)', async () => {
    expect(await postJson('u', {}, answer(204, ''))).toBeUndefined();
  });

  it("rebuilds the server's error code", async () => {
    const body = JSON.stringify({
      error: { code: 'ALREADY_SCANNED', message: 'Another device already scanned this session.' },
    });
    const err = await failure(postJson('u', {}, answer(409, body)));
    expect(err.code).toBe('ALREADY_SCANNED');
    expect(err.status).toBe(409);
  });

  it('keeps Retry-After on RATE_LIMITED', async () => {
    const body = JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down' } });
    const err = await failure(postJson('u', {}, answer(429, body, { 'retry-after': '7' })));
    expect(err.retryAfterSeconds).toBe(7);
  });

  it('maps a failed fetch to NETWORK_ERROR with the cause', async () => {
    const cause = new Error('ECONNREFUSED');
    const err = await failure(postJson('u', {}, { fetch: async () => Promise.reject(cause) }));
    expect(err.code).toBe('NETWORK_ERROR');
    expect(err.cause).toBe(cause);
  });

  it('maps unusable answers to INTERNAL_ERROR', async () => {
    expect((await failure(postJson('u', {}, answer(200, '<html>')))).code).toBe('INTERNAL_ERROR');
    expect((await failure(postJson('u', {}, answer(502, 'Bad gateway')))).code).toBe('INTERNAL_ERROR');
  });

  it('asks for a fetch when the platform has none', async () => {
    const original = globalThis.fetch;
    // @ts-expect-error -- simulating a runtime without fetch
    delete globalThis.fetch;
    try {
      await expect(postJson('u', {})).rejects.toThrow(TypeError);
    } finally {
      globalThis.fetch = original;
    }
  });
});
