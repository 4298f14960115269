/**
 * Linked-browser prompts over real HTTP: the token minted at redeem, the prompt session it creates
 * (only its user's devices, number matching always), the push-fatigue limits, and every bad token
 * refused with nothing created.
 */
import { isErrorCode, type LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PromptDevicesInput, QrLoginOptions } from '../src/index.js';
import { memoryLinkedBrowserStore } from '../src/index.js';
import type { LinkedBrowserRecord } from '../src/store/types.js';
import { createSession, newDevice, post, serversPerTest, type TestDevice, type TestServer, until } from './helpers.js';

const start = serversPerTest();

interface Harness {
  t: TestServer;
  prompts: PromptDevicesInput[];
  created: string[];
  stored: LinkedBrowserRecord[];
}

async function harness(options: Partial<QrLoginOptions> = {}): Promise<Harness> {
  const prompts: PromptDevicesInput[] = [];
  const stored: LinkedBrowserRecord[] = [];
  const inner = memoryLinkedBrowserStore();
  const t = await start({
    promptDevices: (prompt) => {
      prompts.push(prompt);
    },
    linkedBrowsers: {
      ...inner,
      add: (record) => {
        stored.push(record);
        return inner.add(record);
      },
    },
    ...options,
  });
  const created: string[] = [];
  t.qr.events.on('created', ({ sessionId }) => created.push(sessionId));
  return { t, prompts, created, stored };
}

/** A full QR login of `phone`'s user; returns the redemption (with its prompt token). */
async function signInByQr(t: TestServer, phone: TestDevice) {
  const session = await createSession(t);
  const request = (await phone.scan(session.sessionId)).body as LoginRequest;
  expect((await phone.confirm(request)).status).toBe(200);
  return t.qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
}

/** The number-matching code the page would show: read from the long-poll snapshot. */
async function pageCode(t: TestServer, sessionId: string, browserSecret: string): Promise<string> {
  const res = await fetch(`${t.base}/sessions/${sessionId}`, { headers: { authorization: `Bearer ${browserSecret}` } });
  return ((await res.json()) as { code: string }).code;
}

const prompt = (t: TestServer, body: unknown, headers: Record<string, string> = {}) =>
  post(`${t.base}/sessions`, body, headers);

describe('linked-browser prompts', () => {
  it('redeem mints a 43-character token only when prompts are on, and stores only its hash', async () => {
    const off = await start();
    const offPhone = await newDevice(off);
    expect((await signInByQr(off, offPhone)).promptToken).toBeUndefined();

    const { t, stored } = await harness();
    const phone = await newDevice(t);
    const redemption = await signInByQr(t, phone);
    expect(redemption.promptToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.userId).toBe('alice');
    expect(JSON.stringify(stored)).not.toContain(redemption.promptToken);
    const lifetime = (redemption.promptTokenExpiresAt ?? 0) - redemption.redeemedAt;
    expect(lifetime).toBeGreaterThan(29 * 86_400_000);
    expect(lifetime).toBeLessThanOrEqual(30 * 86_400_000);
    expect(stored[0]?.loginId).toBe(redemption.loginId);
  });

  it('a token never outlives the ledger’s record of its login', async () => {
    const { t } = await harness({ promptTokenTtlDays: 365, loginRetentionSeconds: 3_600 });
    const redemption = await signInByQr(t, await newDevice(t));
    expect(redemption.promptTokenExpiresAt).toBe(redemption.redeemedAt + 3_600_000);
  });

  it('a token dies when the user disowns its login (from the phone, or by revoking its device), not at sign-out', async () => {
    const { t, prompts } = await harness();
    const phone = await newDevice(t);
    const tablet = await newDevice(t);
    const endedByPhone = await signInByQr(t, phone);
    const signedOut = await signInByQr(t, phone);
    const endedByRevoke = await signInByQr(t, tablet);
    const kept = await signInByQr(t, phone);
    expect((await phone.endLogin(endedByPhone.loginId)).body).toEqual({ ended: true });
    // The browser signing itself out (the host ends its login, reason host): prompting back in is
    // what the token is for.
    expect(await t.qr.revokeLogin(signedOut.loginId)).toBe(true);
    expect(await t.qr.revokeDevice(tablet.deviceId)).toBe(true);
    for (const { promptToken } of [endedByPhone, endedByRevoke]) {
      const res = await prompt(t, { prompt: promptToken });
      expect([res.status, res.body.error.code]).toEqual([401, 'PROMPT_INVALID']);
    }
    expect((await prompt(t, { prompt: signedOut.promptToken })).status).toBe(201);
    expect((await prompt(t, { prompt: kept.promptToken })).status).toBe(201);
    await until(() => prompts.length === 2, 'the promptDevices hook');
  });

  it('a prompt creates a session only the user answers, with number matching although the option is off', async () => {
    const { t, prompts } = await harness({ numberMatching: false });
    const phone = await newDevice(t);
    const { promptToken } = await signInByQr(t, phone);
    const res = await prompt(
      t,
      { prompt: promptToken },
      { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0' },
    );
    expect(res.status).toBe(201);
    expect(res.body.prompted).toBe(true);
    await until(() => prompts.length === 1, 'the promptDevices hook');
    const [hooked] = prompts as [PromptDevicesInput];
    expect(hooked.userId).toBe('alice');
    expect(hooked.sessionId).toBe(res.body.sessionId);
    expect(hooked.qrPayload).toBe(res.body.qrPayload);
    expect(hooked.devices.map((d) => d.id)).toEqual([phone.deviceId]);
    expect(hooked.requester.browser).toMatch(/Firefox/);

    const request = (await phone.scan(hooked.sessionId)).body as LoginRequest;
    expect(request.codeRequired).toBe(true);
    expect((await phone.confirm(request)).body.error.code).toBe('CODE_REQUIRED');
    const code = await pageCode(t, res.body.sessionId, res.body.browserSecret);
    expect(code).toMatch(/^[0-9]{2}$/);
    expect((await phone.confirm(request, { code })).status).toBe(200);
    const login = await t.qr.redeem({ sessionId: res.body.sessionId, browserSecret: res.body.browserSecret });
    expect(login.userId).toBe('alice');
  });

  it("another user's device is refused PROMPT_WRONG_USER and locks nothing; the user's own still can scan", async () => {
    const { t } = await harness();
    const alice = await newDevice(t, 'alice');
    const mallory = await newDevice(t, 'mallory');
    const { promptToken } = await signInByQr(t, alice);
    const res = await prompt(t, { prompt: promptToken });
    const refused = await mallory.scan(res.body.sessionId);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('PROMPT_WRONG_USER');
    expect((await t.qr.inspect(res.body.sessionId))?.state).toBe('pending');
    expect((await alice.scan(res.body.sessionId)).status).toBe(200);
  });

  it('push fatigue: the fourth prompt in the window is 429 PROMPT_LIMITED, rejected prompts count, nothing created', async () => {
    const { t, prompts, created } = await harness({ rateLimits: { promptPerUser: { limit: 3, windowSeconds: 600 } } });
    const phone = await newDevice(t);
    const { promptToken } = await signInByQr(t, phone);
    for (let i = 0; i < 3; i++) {
      const res = await prompt(t, { prompt: promptToken });
      expect(res.status).toBe(201);
      // The user says no every time: each refusal still counts.
      const request = (await phone.scan(res.body.sessionId)).body as LoginRequest;
      expect((await phone.reject(request)).status).toBe(200);
    }
    const before = created.length;
    const limited = await prompt(t, { prompt: promptToken });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('PROMPT_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(created.length).toBe(before);
    await new Promise((r) => setTimeout(r, 20));
    expect(prompts).toHaveLength(3);
    // The QR stays open to the same browser: fatigue limits prompts, not sign-ins.
    expect((await prompt(t, {})).status).toBe(201);
  });

  it('a foreign Origin is refused FORBIDDEN_ORIGIN before the token or any limit is used', async () => {
    const { t, prompts } = await harness({ rateLimits: { promptPerUser: { limit: 1, windowSeconds: 600 } } });
    const phone = await newDevice(t);
    const { promptToken } = await signInByQr(t, phone);
    for (let i = 0; i < 3; i++) {
      const res = await prompt(t, { prompt: promptToken }, { origin: 'https://evil.example' });
      expect([res.status, res.body.error.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
    }
    expect((await prompt(t, { prompt: promptToken }, { origin: t.origin })).status).toBe(201);
    await until(() => prompts.length === 1, 'the hook');
  });

  it('per IP: guessing tokens from one network is cut off with PROMPT_LIMITED', async () => {
    const { t } = await harness({ rateLimits: { promptPerIp: { limit: 5, windowSeconds: 600 } } });
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) codes.push((await prompt(t, { prompt: 'A'.repeat(43) })).body.error.code);
    expect(codes).toEqual([...Array(5).fill('PROMPT_INVALID'), 'PROMPT_LIMITED', 'PROMPT_LIMITED']);
  });

  it('malformed, unknown, expired, forgotten and device-less tokens: 401 PROMPT_INVALID, nothing created, no hook', async () => {
    const now = { value: Date.now() };
    const { t, prompts, created } = await harness({
      now: () => now.value,
      linkedBrowsers: memoryLinkedBrowserStore({ now: () => now.value }),
    });
    const phone = await newDevice(t);
    const bob = await newDevice(t, 'bob');
    const tokens = {
      expired: (await signInByQr(t, phone)).promptToken as string,
      forgottenByToken: (await signInByQr(t, phone)).promptToken as string,
      forgottenByUser: (await signInByQr(t, bob)).promptToken as string,
      deviceLess: '',
      kept: (await signInByQr(t, phone)).promptToken as string,
    };
    expect(await t.qr.forgetBrowser({ token: tokens.forgottenByToken })).toBe(1);
    expect(await t.qr.forgetBrowser({ userId: 'bob' })).toBe(1);
    const carol = await newDevice(t, 'carol');
    tokens.deviceLess = (await signInByQr(t, carol)).promptToken as string;
    await t.qr.revokeDevice(carol.deviceId);
    const before = created.length;
    for (const token of [tokens.forgottenByToken, tokens.forgottenByUser, tokens.deviceLess, 'x', 'A'.repeat(43), '']) {
      const res = await prompt(t, { prompt: token });
      expect([res.status, res.body.error.code]).toEqual([401, 'PROMPT_INVALID']);
    }
    now.value += 91 * 86_400_000;
    expect((await prompt(t, { prompt: tokens.expired })).body.error.code).toBe('PROMPT_INVALID');
    expect(created.length).toBe(before);
    await new Promise((r) => setTimeout(r, 20));
    expect(prompts).toHaveLength(0);
  });

  it('prompt: true reads the HttpOnly cookie qr.promptCookie() makes', async () => {
    const { t, prompts } = await harness();
    const phone = await newDevice(t);
    const redemption = await signInByQr(t, phone);
    const cookie = t.qr.promptCookie(redemption) as string;
    expect(cookie).toMatch(
      /^qrlogin_prompt=[A-Za-z0-9_-]{43}; Path=\/qrlogin; Max-Age=\d+; HttpOnly; SameSite=Strict$/,
    );
    expect(t.qr.promptCookie(null)).toMatch(/^qrlogin_prompt=; Path=\/qrlogin; Max-Age=0;/);
    expect(t.qr.promptCookie({})).toBeUndefined();
    const pair = cookie.split(';')[0] as string;
    const res = await prompt(t, { prompt: true }, { cookie: `other=1; ${pair}` });
    expect(res.status).toBe(201);
    await until(() => prompts.length === 1, 'the hook');
    expect((await prompt(t, { prompt: true })).body.error.code).toBe('PROMPT_INVALID');
  });

  it('a failing hook is reported as hook-error; the page still gets its session', async () => {
    const { t } = await harness({
      promptDevices: () => {
        throw new Error('push service down');
      },
    });
    const errors: string[] = [];
    t.qr.events.on('hook-error', ({ hook }) => errors.push(hook));
    const phone = await newDevice(t);
    const { promptToken } = await signInByQr(t, phone);
    expect((await prompt(t, { prompt: promptToken })).status).toBe(201);
    await until(() => errors.length === 1, 'hook-error');
    expect(errors).toEqual(['promptDevices']);
  });

  it('without promptDevices a prompt is 400 INVALID_REQUEST; a prompt of the wrong type is 400', async () => {
    const t = await start();
    expect((await prompt(t, { prompt: 'A'.repeat(43) })).body.error.code).toBe('INVALID_REQUEST');
    const on = (await harness()).t;
    for (const value of [5, null, false, {}, ['x']]) {
      const res = await prompt(on, { prompt: value });
      expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    }
  });

  it('fuzz: arbitrary prompt values and bodies get a 4xx with a stable code, create nothing and call no hook', async () => {
    const { t, prompts, created } = await harness();
    const phone = await newDevice(t);
    await signInByQr(t, phone);
    const before = created.length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything().map((prompt) => ({ prompt })),
          fc.stringMatching(/^[A-Za-z0-9_-]{40,46}$/).map((prompt) => ({ prompt })),
          fc.dictionary(fc.constantFrom('prompt', 'x', '__proto__'), fc.jsonValue()),
        ),
        fc.option(fc.string({ maxLength: 80 }), { nil: undefined }),
        async (body, cookie) => {
          const text = JSON.stringify(body);
          // No field left (e.g. `{ prompt: undefined }`): a plain QR session, not a prompt.
          if (text === '{}') return;
          const res = await prompt(t, text, cookie === undefined ? {} : { cookie: `qrlogin_prompt=${cookie}` });
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
          expect(isErrorCode(res.body.error.code)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    expect(created.length).toBe(before);
    expect(prompts).toHaveLength(0);
  });
});
