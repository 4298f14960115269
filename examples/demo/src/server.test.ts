/**
 * The demo host's own routes over real HTTP (no browser): the pages and their headers, the redeem
 * route's refusals, the cookie session from redeem to sign-out, and the app sign-in that guards
 * device registration. The browser side is in test/e2e-*.test.ts.
 */
import { createQrLoginApp, generateDeviceKeys, registerDevice } from '@qrlogin/app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo, STRICT_CSP, startDemo } from './server.js';

let demo: Demo;
beforeAll(async () => {
  demo = await startDemo({ port: 0 });
});
afterAll(() => demo?.close());

const redeem = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${demo.url}/login/qr`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

/** Signs a phone in to "the app" (GET /phone) and registers a fresh key for it. */
async function newPhone() {
  const opened = await fetch(`${demo.url}/phone`);
  const cookie = (opened.headers.getSetCookie()[0] ?? '').split(';')[0] as string;
  const keys = generateDeviceKeys();
  const baseUrl = `${demo.url}/qrlogin`;
  const { deviceId } = await registerDevice({
    baseUrl,
    keys,
    label: 'test phone',
    userId: 'ana@example.com',
    headers: { cookie },
  });
  return createQrLoginApp({ baseUrl, deviceId, keys });
}

/** A browser's session taken to `confirmed` by a phone, the code read from the long-poll as the page would. */
async function confirmedSession() {
  const created = await fetch(`${demo.url}/qrlogin/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: demo.url },
    body: '{}',
  });
  const session = (await created.json()) as { sessionId: string; browserSecret: string; qrPayload: string };
  const phone = await newPhone();
  const request = await phone.scan(session.qrPayload);
  const snapshot = await fetch(`${demo.url}/qrlogin/sessions/${session.sessionId}`, {
    headers: { authorization: `Bearer ${session.browserSecret}` },
  });
  const { code } = (await snapshot.json()) as { code: string };
  await request.confirm({ code });
  return { sessionId: session.sessionId, browserSecret: session.browserSecret };
}

describe('pages', () => {
  it('serve the login page under the strict CSP, with no inline script or style', async () => {
    const response = await fetch(demo.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(STRICT_CSP);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const html = await response.text();
    expect(html).toContain('<qr-login base-url="/qrlogin" redeem-url="/login/qr"');
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serve the bundles and the stylesheet from /assets, and 404 anything else', async () => {
    for (const [name, type] of [
      ['login.js', 'text/javascript'],
      ['phone.js', 'text/javascript'],
      ['signed-in.js', 'text/javascript'],
      ['demo.css', 'text/css'],
    ]) {
      const response = await fetch(`${demo.url}/assets/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(type);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
    expect((await fetch(`${demo.url}/assets/server.ts`)).status).toBe(404);
    expect((await fetch(`${demo.url}/assets/../src/server.ts`)).status).toBe(404);
    expect((await fetch(`${demo.url}/nope`)).status).toBe(404);
  });

  it('redirect another host name to the one origin the QR codes use', async () => {
    const port = new URL(demo.url).port;
    const response = await fetch(`http://127.0.0.1:${port}/phone`, { redirect: 'manual' });
    expect(response.status).toBe(308);
    expect(response.headers.get('location')).toBe(`${demo.url}/phone`);
  });

  it('/phone signs the simulator in to "the app" once, with a Strict HttpOnly cookie', async () => {
    const first = await fetch(`${demo.url}/phone`);
    const setCookie = first.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^demo_app=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Strict$/);
    expect(await first.text()).toContain('<span id="app-user">ana@example.com</span>');
    const again = await fetch(`${demo.url}/phone`, {
      headers: { cookie: (setCookie[0] as string).split(';')[0] as string },
    });
    expect(again.headers.getSetCookie()).toEqual([]);
  });

  it('device registration needs the app sign-in', async () => {
    const keys = generateDeviceKeys();
    await expect(
      registerDevice({
        baseUrl: `${demo.url}/qrlogin`,
        keys,
        label: 'stranger',
        userId: 'ana@example.com',
        headers: { cookie: 'demo_app=forged' },
      }),
    ).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('POST /login/qr', () => {
  it('refuses bad input with a clear 4xx and sets no cookie', async () => {
    const cases: [Response, number, string][] = [
      [await redeem('{}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [await redeem('not json'), 400, 'INVALID_REQUEST'],
      [await redeem({ sessionId: 1 }), 400, 'INVALID_REQUEST'],
      [await redeem('x'.repeat(2000)), 413, 'PAYLOAD_TOO_LARGE'],
      [
        await redeem({ sessionId: 'x', browserSecret: 'y' }, { origin: 'https://evil.example' }),
        403,
        'FORBIDDEN_ORIGIN',
      ],
      [await redeem({ sessionId: 'V1StGXR8_Z5jdHi6B-myT0', browserSecret: 'y'.repeat(43) }), 404, 'SESSION_NOT_FOUND'],
      [await fetch(`${demo.url}/login/qr`), 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [response, status, code] of cases) {
      expect({ status: response.status, code: await errorCode(response) }).toEqual({ status, code });
      expect(response.headers.getSetCookie()).toEqual([]);
    }
  });

  it('refuses a session that is not confirmed yet', async () => {
    const created = await fetch(`${demo.url}/qrlogin/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const { sessionId, browserSecret } = (await created.json()) as { sessionId: string; browserSecret: string };
    const response = await redeem({ sessionId, browserSecret });
    expect(response.status).toBe(409);
    expect(await errorCode(response)).toBe('INVALID_STATE');
  });

  it('redeems a confirmed session once into a fresh host session; sign-out ends it', async () => {
    const login = await confirmedSession();
    const wrongSecret = await redeem({ ...login, browserSecret: 'A'.repeat(43) });
    expect(wrongSecret.status).toBe(401);

    const response = await redeem(login, { origin: demo.url });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ userId: 'ana@example.com' });
    const [setCookie] = response.headers.getSetCookie();
    expect(setCookie).toMatch(/^demo_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/);
    const cookie = (setCookie as string).split(';')[0] as string;

    const again = await redeem(login);
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe('ALREADY_REDEEMED');
    expect(again.headers.getSetCookie()).toEqual([]);

    const signedIn = await (await fetch(demo.url, { headers: { cookie } })).text();
    expect(signedIn).toContain('Signed in as <span id="user">ana@example.com</span>');
    expect(signedIn).not.toContain('<qr-login');

    const crossSite = await fetch(`${demo.url}/logout`, {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example' },
      redirect: 'manual',
    });
    expect(crossSite.status).toBe(403);
    const out = await fetch(`${demo.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/');
    expect(out.headers.getSetCookie()[0]).toMatch(/^demo_session=; Path=\/; Max-Age=0;/);
    // The old cookie is dead on the server too, not only deleted in the browser.
    expect(await (await fetch(demo.url, { headers: { cookie } })).text()).toContain('<qr-login');
  });
});

describe('the ledger: GET /me and endSession', () => {
  /** Two browsers signed in by QR; their cookies. */
  const signIn = async () => {
    const response = await redeem(await confirmedSession(), { origin: demo.url });
    expect(response.status).toBe(200);
    return (response.headers.getSetCookie()[0] as string).split(';')[0] as string;
  };
  const me = (cookie?: string) => fetch(`${demo.url}/me`, cookie ? { headers: { cookie } } : {});

  it('ending one login ends exactly that browser’s host session', async () => {
    const first = await signIn();
    const second = await signIn();
    const answer = await me(first);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.json()).toMatchObject({ userId: 'ana@example.com' });
    expect((await me()).status).toBe(401);
    expect((await me('demo_session=forged')).status).toBe(401);

    const [newest, older] = await demo.qr.listLogins('ana@example.com');
    expect(await demo.qr.revokeLogin(older?.id as string)).toBe(true);
    expect((await me(first)).status).toBe(401);
    expect(await (await fetch(demo.url, { headers: { cookie: first } })).text()).toContain('<qr-login');
    expect((await me(second)).status).toBe(200);
    // Idempotent: ending it again changes nothing, and the other login is untouched.
    expect(await demo.qr.revokeLogin(older?.id as string)).toBe(false);
    expect((await me(second)).status).toBe(200);
    expect(await demo.qr.revokeLogin(newest?.id as string)).toBe(true);
    expect((await me(second)).status).toBe(401);
  });

  it('GET /me/events pushes `ended` to exactly the browser whose login ended', async () => {
    /** Opens the stream and collects its text as it arrives. */
    const stream = async (cookie?: string) => {
      const response = await fetch(`${demo.url}/me/events`, cookie ? { headers: { cookie } } : {});
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      const state = { text: '', done: false };
      void (async () => {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          state.text += decoder.decode(chunk.value, { stream: true });
        }
        state.done = true;
      })();
      await expect.poll(() => state.text.length).toBeGreaterThan(0);
      return { state, cancel: () => reader.cancel() };
    };
    const anonymous = await stream();
    await expect.poll(() => anonymous.state.done).toBe(true);
    expect(anonymous.state.text).toBe('event: ended\ndata: {}\n\n');

    const first = await stream(await signIn());
    const second = await stream(await signIn());
    expect(first.state.text).toBe(': signed in\n\n');
    const [newest, older] = await demo.qr.listLogins('ana@example.com');
    await demo.qr.revokeLogin(older?.id as string);
    await expect.poll(() => first.state.done).toBe(true);
    expect(first.state.text).toBe(': signed in\n\nevent: ended\ndata: {}\n\n');
    // The other browser's stream is still open and has heard nothing.
    expect(second.state).toEqual({ text: ': signed in\n\n', done: false });
    await demo.qr.revokeLogin(newest?.id as string);
    await expect.poll(() => second.state.done).toBe(true);
  });

  it('signing out on the site ends that login in the ledger too (reason host)', async () => {
    const cookie = await signIn();
    const [login] = await demo.qr.listLogins('ana@example.com');
    expect(login?.endedAt).toBeUndefined();
    const out = await fetch(`${demo.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect((await demo.qr.listLogins('ana@example.com')).find((l) => l.id === login?.id)?.endReason).toBe('host');
  });
});
