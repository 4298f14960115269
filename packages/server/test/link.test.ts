/**
 * Linking a new phone (docs/protocol.md, "Linking a new phone"): a signed-in browser creates a link
 * session, a phone with no device claims it with a signed `link`, the page types the phone's code,
 * and the phone's key becomes a device of the browser's user. Real HTTP server, real WebSocket,
 * real Ed25519 keys.
 */
import type { KeyObject } from 'node:crypto';
import { type CreateSessionResponse, isErrorCode, type LinkClaimResponse, parseQrPayload } from '@qrlogin/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryStore, type QrLoginOptions, type SessionStore } from '../src/index.js';
import {
  type Body,
  createSession,
  newDevice,
  newKeyPair,
  post,
  serversPerTest,
  signWith,
  subscribe,
  type TestServer,
} from './helpers.js';

const start = serversPerTest();

/** Cookie auth: `cookie: user=<id>`. */
const authenticate: QrLoginOptions['authenticate'] = (request) => {
  const match = /(?:^|;\s*)user=([a-z]+)/.exec(request.headers.get('cookie') ?? '');
  return match ? { userId: match[1] as string } : null;
};

function page(t: TestServer, user = 'alice'): Record<string, string> {
  return { origin: t.origin, cookie: `user=${user}` };
}

async function createLink(t: TestServer, user = 'alice'): Promise<CreateSessionResponse> {
  const res = await post(`${t.base}/links`, {}, page(t, user));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as CreateSessionResponse;
}

/** A phone with a fresh key and no device yet. */
function newPhone(t: TestServer, label = 'Pixel 9') {
  const { publicKey, privateKey } = newKeyPair();
  const claimBody = (sessionId: string, key: KeyObject = privateKey, timestamp = Date.now()) => ({
    publicKey,
    label,
    timestamp,
    signature: signWith(key, { action: 'link', audience: t.origin, sessionId, publicKey, text: label, timestamp }),
  });
  return {
    publicKey,
    privateKey,
    claimBody,
    claim: (sessionId: string, key?: KeyObject) =>
      post(`${t.base}/links/${sessionId}/claim`, claimBody(sessionId, key)),
  };
}

/** The page answers: its secret in the body, its host session (cookie) in the headers. */
function decide(t: TestServer, link: CreateSessionResponse, verb: 'confirm' | 'reject', body: object, user = 'alice') {
  return post(
    `${t.base}/links/${link.sessionId}/${verb}`,
    { browserSecret: link.browserSecret, ...body },
    page(t, user),
  );
}

describe('linking a new phone', () => {
  it('registers the phone to the browser user once the page types the code the phone shows', async () => {
    const t = await start({ authenticate });
    const events: string[] = [];
    for (const name of ['created', 'link-claimed', 'confirmed', 'device-registered', 'redeemed'] as const) {
      t.qr.events.on(name, () => events.push(name));
    }
    const link = await createLink(t);
    expect(parseQrPayload(link.qrPayload)).toMatchObject({ kind: 'link', sessionId: link.sessionId });
    const socket = await subscribe(t, link);
    const phone = newPhone(t);

    const claimed = await phone.claim(link.sessionId);
    expect(claimed.status).toBe(200);
    const claim = claimed.body as LinkClaimResponse;
    expect(claim).toMatchObject({ state: 'scanned', origin: t.origin, sessionId: link.sessionId });
    expect(claim.code).toMatch(/^[0-9]{2}$/);
    expect(claim.requester.origin).toBe(t.origin);
    // The page hears who wants in, but never the code: it has to read it off the phone.
    const scanned = await socket.waitFor('scanned');
    expect(scanned).toMatchObject({ state: 'scanned', label: 'Pixel 9' });
    expect(scanned).not.toHaveProperty('code');
    const polled = await fetch(`${t.base}/sessions/${link.sessionId}`, {
      headers: { authorization: `Bearer ${link.browserSecret}` },
    });
    expect(await polled.json()).not.toHaveProperty('code');

    // Claiming again with the same key (how the phone waits) changes nothing.
    expect((await phone.claim(link.sessionId)).body).toMatchObject({ state: 'scanned', code: claim.code });

    const confirmed = await decide(t, link, 'confirm', { code: claim.code });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ state: 'confirmed' });
    await socket.waitFor('confirmed');
    const devices = await t.qr.inspect(link.sessionId);
    expect(devices?.userId).toBe('alice');

    const picked = await phone.claim(link.sessionId);
    expect(picked.body).toMatchObject({ state: 'redeemed', userId: 'alice' });
    const deviceId = (picked.body as LinkClaimResponse).deviceId as string;
    expect(deviceId).toBe(devices?.deviceId);
    // A lost answer: picking up again gives the same device.
    expect((await phone.claim(link.sessionId)).body).toMatchObject({ state: 'redeemed', deviceId });
    await socket.waitFor('redeemed');
    expect(events).toEqual(['created', 'link-claimed', 'device-registered', 'confirmed']);

    // The new device signs in by QR like any other.
    const login = await createSession(t);
    const timestamp = Date.now();
    const scan = await post(`${t.base}/sessions/${login.sessionId}/scan`, {
      deviceId,
      timestamp,
      signature: signWith(phone.privateKey, {
        action: 'scan',
        audience: t.origin,
        sessionId: login.sessionId,
        deviceId,
        timestamp,
      }),
    });
    expect(scan.status).toBe(200);
    socket.ws.close();
  });

  it('gives the device to two pick-ups that both found the link confirmed (a retry overtaking a slow answer)', async () => {
    // Reads are held until both pick-ups have read, so both see `confirmed` and race to write.
    const store = memoryStore();
    let held: (() => void)[] | undefined;
    const slowStore: SessionStore = {
      ...store,
      create: (record, retain) => store.create(record, retain),
      compareAndSet: (next, version, retain) => store.compareAndSet(next, version, retain),
      hit: (key, windowMs) => store.hit(key, windowMs),
      async get(id) {
        const record = await store.get(id);
        const waiting = held;
        if (waiting && waiting.length < 2) {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === 2) for (const release of waiting) release();
          });
        }
        return record;
      },
    };
    const t = await start({ authenticate, store: slowStore });
    const link = await createLink(t);
    const phone = newPhone(t);
    const code = ((await phone.claim(link.sessionId)).body as LinkClaimResponse).code;
    await decide(t, link, 'confirm', { code });
    held = [];
    const [first, second] = await Promise.all([phone.claim(link.sessionId), phone.claim(link.sessionId)]);
    held = undefined;
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.body).toMatchObject({ state: 'redeemed', userId: 'alice' });
    expect(second.body.deviceId).toBe(first.body.deviceId);
  });

  it('rejects a wrong code and registers nothing; one guess per link', async () => {
    const t = await start({ authenticate });
    const registered: string[] = [];
    t.qr.events.on('device-registered', (e) => registered.push(e.deviceId));
    const link = await createLink(t);
    const phone = newPhone(t);
    const code = ((await phone.claim(link.sessionId)).body as LinkClaimResponse).code as string;
    const wrong = code === '00' ? '01' : '00';
    const refused = await decide(t, link, 'confirm', { code: wrong });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('CODE_MISMATCH');
    expect((await decide(t, link, 'confirm', { code })).body.error.code).toBe('INVALID_STATE');
    expect(registered).toEqual([]);
    expect(await t.qr.inspect(link.sessionId)).toMatchObject({ state: 'rejected' });
    expect((await phone.claim(link.sessionId)).body).toMatchObject({ state: 'rejected', reason: 'code-mismatch' });
    expect((await phone.claim(link.sessionId)).body).not.toHaveProperty('deviceId');
  });

  it('ends the link when the phone’s key belongs to another account or was revoked, so the phone hears it', async () => {
    const t = await start({ authenticate });
    const rejected: unknown[] = [];
    t.qr.events.on('rejected', (e) => rejected.push(e));
    const bobsPhone = newPhone(t);
    const bobs = await t.qr.registerDevice({ userId: 'bob', publicKey: bobsPhone.publicKey, label: 'Bob’s' });
    const aliceLink = await createLink(t);
    const code = ((await bobsPhone.claim(aliceLink.sessionId)).body as LinkClaimResponse).code as string;
    const refused = await decide(t, aliceLink, 'confirm', { code });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('DEVICE_EXISTS');
    expect((await bobsPhone.claim(aliceLink.sessionId)).body).toMatchObject({
      state: 'rejected',
      reason: 'device-exists',
    });
    expect(await t.qr.listDevices('alice')).toEqual([]);
    expect(rejected).toMatchObject([{ sessionId: aliceLink.sessionId, userId: 'alice', reason: 'device-exists' }]);

    await t.qr.revokeDevice(bobs.id);
    const bobLink = await createLink(t, 'bob');
    const again = ((await bobsPhone.claim(bobLink.sessionId)).body as LinkClaimResponse).code as string;
    const revoked = await decide(t, bobLink, 'confirm', { code: again }, 'bob');
    expect(revoked.body.error.code).toBe('DEVICE_REVOKED');
    expect((await bobsPhone.claim(bobLink.sessionId)).body).toMatchObject({
      state: 'rejected',
      reason: 'device-revoked',
    });
    expect((await t.qr.listDevices('bob')).map((d) => d.id)).toEqual([bobs.id]);
  });

  it('lets the page refuse the phone', async () => {
    const t = await start({ authenticate });
    const link = await createLink(t);
    const phone = newPhone(t);
    await phone.claim(link.sessionId);
    const refused = await decide(t, link, 'reject', {});
    expect(refused.body).toMatchObject({ state: 'rejected', reason: 'user' });
    expect((await phone.claim(link.sessionId)).body).toMatchObject({ state: 'rejected', reason: 'user' });
  });

  it('is created only by a signed-in page on an allowed origin', async () => {
    const t = await start({ authenticate });
    const noUser = await post(`${t.base}/links`, {}, { origin: t.origin });
    expect([noUser.status, noUser.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const noOrigin = await post(`${t.base}/links`, {}, { cookie: 'user=alice' });
    expect([noOrigin.status, noOrigin.body.error.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
    const foreign = await post(`${t.base}/links`, {}, { cookie: 'user=alice', origin: 'https://evil.example' });
    expect([foreign.status, foreign.body.error.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
    const noHook = await start({});
    const withoutHook = await post(`${noHook.base}/links`, {}, page(noHook));
    expect(withoutHook.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('is confirmed only with the page secret, by the user who created it', async () => {
    const t = await start({ authenticate });
    const link = await createLink(t);
    const phone = newPhone(t);
    const code = ((await phone.claim(link.sessionId)).body as LinkClaimResponse).code;
    const other = await decide(t, link, 'confirm', { code }, 'mallory');
    expect([other.status, other.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const noSecret = await post(`${t.base}/links/${link.sessionId}/confirm`, { code }, page(t));
    expect([noSecret.status, noSecret.body.error.code]).toEqual([400, 'INVALID_REQUEST']);
    const last = link.browserSecret.at(-1) === 'A' ? 'B' : 'A';
    const wrongSecret = await decide(t, { ...link, browserSecret: link.browserSecret.slice(0, -1) + last }, 'confirm', {
      code,
    });
    expect([wrongSecret.status, wrongSecret.body.error.code]).toEqual([401, 'INVALID_SECRET']);
    const crossSite = await post(
      `${t.base}/links/${link.sessionId}/confirm`,
      { browserSecret: link.browserSecret, code },
      { ...page(t), origin: 'https://evil.example' },
    );
    expect([crossSite.status, crossSite.body.error.code]).toEqual([403, 'FORBIDDEN_ORIGIN']);
    expect(await t.qr.inspect(link.sessionId)).toMatchObject({ state: 'scanned' });
    expect((await decide(t, link, 'confirm', { code })).status).toBe(200);
    expect(await t.qr.inspect(link.sessionId)).toMatchObject({ state: 'confirmed' });
  });

  it('keeps logins and links apart', async () => {
    const t = await start({ authenticate });
    const link = await createLink(t);
    const device = await newDevice(t, 'bob');
    const scanned = await device.scan(link.sessionId);
    expect([scanned.status, scanned.body.error.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    const redeem = t.qr.redeem({ sessionId: link.sessionId, browserSecret: link.browserSecret });
    await expect(redeem).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
    const login = await createSession(t);
    const claimed = await newPhone(t).claim(login.sessionId);
    expect([claimed.status, claimed.body.error.code]).toEqual([404, 'SESSION_NOT_FOUND']);
    expect(await t.qr.inspect(login.sessionId)).toMatchObject({ state: 'pending' });
    expect(await t.qr.inspect(link.sessionId)).toMatchObject({ state: 'pending' });
  });

  it('refuses a second phone, a signature by another key, and a claim after expiry', async () => {
    const now = { value: Date.now() };
    const t = await start({ authenticate, now: () => now.value, sessionTtlSeconds: 60 });
    const link = await createLink(t);
    const phone = newPhone(t);
    const thief = newPhone(t, 'Thief');
    const forged = await phone.claim(link.sessionId, thief.privateKey);
    expect([forged.status, forged.body.error.code]).toEqual([401, 'SIGNATURE_INVALID']);
    await phone.claim(link.sessionId);
    const second = await thief.claim(link.sessionId);
    expect([second.status, second.body.error.code]).toEqual([409, 'ALREADY_SCANNED']);

    const late = await createLink(t);
    now.value += 61_000;
    const expired = await post(
      `${t.base}/links/${late.sessionId}/claim`,
      phone.claimBody(late.sessionId, undefined, now.value),
    );
    expect([expired.status, expired.body.error.code]).toEqual([410, 'SESSION_EXPIRED']);
  });

  it('serves the landing page for a link code opened by a plain camera', async () => {
    const t = await start({ authenticate });
    const link = await createLink(t);
    const res = await fetch(link.qrPayload);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('answers malformed link requests with a 4xx code and changes nothing (property)', async () => {
    const t = await start({ authenticate });
    const phone = newPhone(t);
    const fresh = async () => {
      const link = await createLink(t);
      await phone.claim(link.sessionId);
      return { link, before: await t.qr.inspect(link.sessionId) };
    };
    let current = await fresh();
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(null),
      fc.constant('<the secret>'),
      fc.stringMatching(/^[0-9]{1,3}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{86}$/),
    );
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .dictionary(
          fc.constantFrom('publicKey', 'label', 'timestamp', 'signature', 'code', 'browserSecret', 'x'),
          value,
        )
        .map((o) => JSON.stringify(o)),
    );
    // A reject with the secret alone is a valid reject: the one request here that must change the state.
    const validReject = (text: string) => {
      try {
        const parsed = JSON.parse(text) as Record<string, unknown>;
        return Object.keys(parsed).length === 1 && parsed.browserSecret === '<the secret>';
      } catch {
        return false;
      }
    };
    const request = fc
      .tuple(fc.constantFrom('claim', 'confirm', 'reject', 'x', ''), body)
      .filter(([verb, text]) => verb !== 'reject' || !validReject(text));
    await fc.assert(
      fc.asyncProperty(request, async ([verb, text]) => {
        const { link, before } = current;
        const res = await fetch(`${t.base}/links/${link.sessionId}${verb ? `/${verb}` : ''}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...page(t) },
          body: text.replaceAll('<the secret>', link.browserSecret),
        });
        const answer = (await res.json()) as Body;
        if (res.status >= 400) {
          expect(res.status).toBeLessThan(500);
          expect(isErrorCode(answer.error.code)).toBe(true);
        }
        const after = await t.qr.inspect(link.sessionId);
        if (after?.state === 'scanned') {
          expect(after).toEqual(before);
          return;
        }
        // Only a well-formed confirm can end it: a right guess of the code, or a wrong one (one try).
        expect(verb).toBe('confirm');
        expect(after?.state === 'confirmed' || answer.error?.code === 'CODE_MISMATCH').toBe(true);
        current = await fresh();
      }),
      { numRuns: 300 },
    );
  });
});
