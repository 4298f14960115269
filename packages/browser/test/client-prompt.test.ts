/**
 * The client's side of linked-browser prompts: `refresh(prompt)` posts `{ prompt }` once (rotation
 * and later refreshes make plain sessions), and a `PROMPT_LIMITED` 429 is fatal at once — the page
 * falls back to the QR instead of waiting out a ten-minute window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PROMPT_LOCALES } from '../src/i18n/prompt-strings.js';
import { LOCALES } from '../src/i18n/resolve-strings.js';
import { createQrLoginClient, type FetchLike, type QrLoginClient } from '../src/index.js';

const SESSION = 'S'.repeat(22);
const BASE = 'https://example.com/qrlogin';

let client: QrLoginClient | undefined;
afterEach(() => {
  client?.destroy();
  client = undefined;
});

/** Answers `POST /sessions` with `answer(body)` and long-polls with a pending snapshot. */
function fakeFetch(answer: (body: string) => Response): FetchLike & { posted: string[] } {
  const posted: string[] = [];
  const fn = async (_url: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      posted.push(String(init.body));
      return answer(String(init.body));
    }
    const now = Date.now();
    const pending = { sessionId: SESSION, state: 'pending', version: 1, expiresAt: now + 120_000, serverTime: now };
    return new Response(JSON.stringify(pending), { status: 200 });
  };
  return Object.assign(fn, { posted });
}

const created = () => {
  const now = Date.now();
  const body = {
    sessionId: SESSION,
    browserSecret: 'k'.repeat(43),
    qrPayload: `${BASE}/q/1/${SESSION}`,
    expiresAt: now + 120_000,
    serverTime: now,
    version: 1,
  };
  return new Response(JSON.stringify(body), { status: 201 });
};

describe('client prompts', () => {
  it('refresh(token) posts { prompt } once; refresh() after it posts {} again', async () => {
    const fetch = fakeFetch(created);
    client = createQrLoginClient({ baseUrl: BASE, fetch, transport: 'poll' });
    await client.start();
    await client.refresh('t'.repeat(43));
    await client.refresh(true);
    await client.refresh();
    expect(fetch.posted).toEqual(['{}', JSON.stringify({ prompt: 't'.repeat(43) }), '{"prompt":true}', '{}']);
  });

  it('PROMPT_LIMITED is fatal at once (no retry); a RATE_LIMITED 429 is still retried', async () => {
    const limited = (code: string) =>
      new Response(JSON.stringify({ error: { code, message: 'too many' } }), {
        status: 429,
        headers: { 'retry-after': '1' },
      });
    const fetch = fakeFetch((body) => (body === '{}' ? created() : limited('PROMPT_LIMITED')));
    client = createQrLoginClient({
      baseUrl: BASE,
      fetch,
      transport: 'poll',
      reconnect: { initialDelayMs: 1, maxDelayMs: 1 },
    });
    await client.start();
    const errors: { code: string; fatal: boolean }[] = [];
    client.on('error', (error, { fatal }) => errors.push({ code: error.code, fatal }));
    await expect(client.refresh(true)).rejects.toMatchObject({ code: 'PROMPT_LIMITED' });
    expect(errors).toEqual([{ code: 'PROMPT_LIMITED', fatal: true }]);
    expect(fetch.posted).toHaveLength(2);

    let calls = 0;
    const flaky = fakeFetch(() => (++calls === 1 ? limited('RATE_LIMITED') : created()));
    const other = createQrLoginClient({
      baseUrl: BASE,
      fetch: flaky,
      transport: 'poll',
      reconnect: { initialDelayMs: 1, maxDelayMs: 1 },
    });
    await other.start();
    other.destroy();
    expect(flaky.posted).toHaveLength(2);
  });

  it('prompt strings: every locale of the element has a translated table', () => {
    expect(Object.keys(PROMPT_LOCALES).sort()).toEqual(Object.keys(LOCALES).sort());
    for (const key of Object.keys(PROMPT_LOCALES.en) as (keyof typeof PROMPT_LOCALES.en)[]) {
      expect(PROMPT_LOCALES['zh-CN'][key]).not.toBe(PROMPT_LOCALES.en[key]);
      expect(PROMPT_LOCALES.ja[key]).not.toBe(PROMPT_LOCALES.en[key]);
    }
  });
});
