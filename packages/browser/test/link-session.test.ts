/**
 * createLinkSession against the real server, over the WebSocket and over long-poll: the page's
 * host session is a cookie the test's fetch carries; the phone is the real app package's
 * linkDevice.
 */
import { linkDevice, memoryKeyStore } from '@qrlogin/app';
import { afterEach, describe, expect, it } from 'vitest';
import { createLinkSession, type LinkSession } from '../src/link.js';
import { type Recorder, recordEvents } from './helpers/record-events.js';
import { browserWebSocket, startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
let link: LinkSession | undefined;
afterEach(async () => {
  link?.destroy();
  link = undefined;
  await server?.close();
  server = undefined;
});

/** The page: its fetch carries the host's cookie and its Origin, as a browser on the site would. */
async function startLink(transport: 'websocket' | 'poll', cookie = 'user=alice'): Promise<Recorder> {
  server = await startServer({
    authenticate: (request) => {
      const user = /user=([a-z]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
      return user ? { userId: user } : null;
    },
  });
  const origin = server.origin;
  link = createLinkSession({
    baseUrl: server.baseUrl,
    transport,
    WebSocket: browserWebSocket(origin),
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as object), cookie, origin } }),
  });
  const events = recordEvents(link);
  await link.start();
  return events;
}

function phoneLinks(qrText: string, onCode: (code: string) => void) {
  const outcome = linkDevice({
    baseUrl: server!.baseUrl,
    qrText,
    keyStore: memoryKeyStore(),
    label: 'Pixel 9',
    pollIntervalMs: 20,
    onCode: ({ code }) => onCode(code),
  });
  return outcome.then(
    (linked) => linked,
    (error: { code: string }) => error.code,
  );
}

describe.each(['websocket', 'poll'] as const)('link session over %s', (transport) => {
  it('shows a link code, hears which phone claimed it (never its code) and links it with the right code', async () => {
    const events = await startLink(transport);
    const session = await events.waitFor('session');
    expect(session.qrPayload).toBe(`${server!.baseUrl}/link/1/${session.sessionId}`);
    let code = '';
    const outcome = phoneLinks(session.qrPayload, (shown) => {
      code = shown;
    });
    await events.waitFor('scanned');
    const scanned = events.all('state').find((s) => s.state === 'scanned');
    expect(scanned).toMatchObject({ label: 'Pixel 9' });
    expect(scanned?.code).toBeUndefined();
    expect(events.all('scanned')[0]?.code).toBeUndefined();
    await expect.poll(() => code).toMatch(/^[0-9]{2}$/);
    expect(await link!.confirm(code)).toMatchObject({ state: 'confirmed' });
    await events.waitFor('confirmed');
    expect(await outcome).toMatchObject({ userId: 'alice' });
  });

  it('a wrong code rejects the link: CODE_MISMATCH on the page, the phone hears it too', async () => {
    const events = await startLink(transport);
    const session = await events.waitFor('session');
    let code = '';
    const outcome = phoneLinks(session.qrPayload, (shown) => {
      code = shown;
    });
    await events.waitFor('scanned');
    await expect.poll(() => code).toMatch(/^[0-9]{2}$/);
    await expect(link!.confirm(code === '00' ? '01' : '00')).rejects.toMatchObject({ code: 'CODE_MISMATCH' });
    expect(await events.waitFor('rejected')).toMatchObject({ reason: 'code-mismatch' });
    expect(await outcome).toBe('CODE_MISMATCH');
  });
});

it('a signed-out page cannot create a link (UNAUTHENTICATED, fatal)', async () => {
  await expect(startLink('poll', '')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  expect(link?.session).toBeUndefined();
});
