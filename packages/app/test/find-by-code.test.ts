/** "Can't scan?" from the app: a typed code finds the session, and the real confirm screen follows. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { QrLoginError } from '../src/index.js';
import { registeredDevice } from './helpers/registered-device.js';
import { startServer, type TestServer } from './helpers/start-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function shortCodeOf(s: TestServer, session: { sessionId: string; browserSecret: string }): Promise<string> {
  const res = await fetch(`${s.baseUrl}/sessions/${session.sessionId}/short-code`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.browserSecret}` },
  });
  return ((await res.json()) as { shortCode: string }).shortCode;
}

async function errorOf(promise: Promise<unknown>): Promise<QrLoginError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof QrLoginError)) throw new Error(`expected a QrLoginError, got ${String(err)}`);
  return err;
}

describe('app.findByCode', () => {
  it('finds the session of a code typed loosely, scans it, and the confirm needs the page’s number', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const session = await server.createSession();
    const code = await shortCodeOf(server, session);
    const typed = ` ${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `;

    const request = await phone.app.findByCode(typed);
    expect(request).toMatchObject({ sessionId: session.sessionId, codeRequired: true, origin: server.origin });
    expect(request.requester.browser).toMatch(/Firefox/);
    const snapshot = await server.poll(session);
    expect(snapshot).toMatchObject({ state: 'scanned' });
    expect(await errorOf(request.confirm())).toMatchObject({ code: 'CODE_REQUIRED' });
    expect(await request.confirm({ code: snapshot.code })).toMatchObject({ state: 'confirmed' });
    expect(await server.qr.redeem(session)).toMatchObject({ userId: 'alice' });
  });

  it('refuses input that cannot be a code before any network call', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      for (const bad of ['', 'K7M2Q9R0', 'K7M2-Q9R', 'not a code at all']) {
        expect(await errorOf(phone.app.findByCode(bad))).toMatchObject({ code: 'INVALID_REQUEST' });
      }
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('reports a wrong code as SHORT_CODE_NOT_FOUND and leaves the real session pending', async () => {
    server = await startServer();
    const phone = await registeredDevice(server, 'alice');
    const session = await server.createSession();
    const code = await shortCodeOf(server, session);
    const wrong = code.startsWith('K') ? `M${code.slice(1)}` : `K${code.slice(1)}`;
    expect(await errorOf(phone.app.findByCode(wrong))).toMatchObject({ code: 'SHORT_CODE_NOT_FOUND' });
    expect((await server.poll(session)).state).toBe('pending');
  });
});
