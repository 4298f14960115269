/**
 * Arbitrary input to every endpoint and as WebSocket frames: never a 5xx, never an uncaught
 * exception, always a stable error code, and the session's state unchanged.
 */
import { isErrorCode, type LoginRequest } from '@qrlogin/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, newDevice, openSocket, startServer, type TestDevice, type TestServer } from './helpers.js';

let t: TestServer;
let phone: TestDevice;
let session: Awaited<ReturnType<typeof createSession>>;
let request: LoginRequest;
let version: number;

beforeAll(async () => {
  t = await startServer({
    authenticate: () => ({ userId: 'fuzzer' }),
  });
  phone = await newDevice(t);
  session = await createSession(t);
  request = (await phone.scan(session.sessionId)).body as LoginRequest;
  version = (await t.qr.inspect(session.sessionId))?.version as number;
});
afterAll(() => t.close());

const field = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{86}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
  fc.constant(Date.now()),
  fc.array(fc.string(), { maxLength: 3 }),
);
const body = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .dictionary(
      fc.constantFrom('deviceId', 'timestamp', 'signature', 'code', 'publicKey', 'label', 'x', 'contextDigest'),
      field,
    )
    .map((o) => JSON.stringify(o)),
  fc.constant('{"__proto__":{"polluted":true}}'),
  fc.constant('x'.repeat(5000)),
);
const paths = fc.oneof(
  fc.constantFrom('/sessions', '/devices', '/ws', '/q/1/x', ''),
  fc.constant('/sessions/SID/scan'),
  fc.constant('/sessions/SID/confirm'),
  fc.constant('/sessions/SID/reject'),
  fc.constant('/sessions/SID'),
  fc.constant('/devices/DID/revoke'),
  fc.string().map((s) => `/${encodeURIComponent(s)}`),
);

describe('fuzzing every endpoint', () => {
  it('answers arbitrary requests with a 2xx/4xx JSON error and leaves the session unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH'),
        paths,
        body,
        fc.constantFrom('application/json', 'text/plain', ''),
        fc.option(fc.string(), { nil: undefined }),
        async (method, path, text, type, authorization) => {
          const url = `${t.base}${path.replace('SID', session.sessionId).replace('DID', phone.deviceId)}`;
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (authorization !== undefined && /^[\t\x20-\x7e]*$/.test(authorization))
            headers.authorization = authorization;
          const res = await t.qr.fetch(
            new Request(url, { method, headers, ...(method === 'GET' ? {} : { body: text }) }),
            { remoteAddress: '127.0.0.1' },
          );
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            const json = (await res.json()) as { error: { code: unknown; message: unknown } };
            expect(isErrorCode(json.error.code)).toBe(true);
            expect(typeof json.error.message).toBe('string');
          } else {
            await res.arrayBuffer();
          }
          expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        },
      ),
      { numRuns: 1500 },
    );
    expect(await t.qr.inspect(session.sessionId)).toMatchObject({ state: 'scanned', version });
    // The flow still works afterwards.
    expect((await phone.confirm(request)).body.state).toBe('confirmed');
    version += 1;
  });
});

describe('fuzzing WebSocket frames', () => {
  it('closes with a 44xx code on anything but a valid auth frame', async () => {
    const frame = fc.oneof(
      fc.string(),
      fc.json(),
      fc
        .record(
          { type: fc.constantFrom('auth', 'ping', 'AUTH'), sessionId: field, browserSecret: field },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
      fc.uint8Array({ maxLength: 64 }),
    );
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        const socket = await openSocket(t);
        socket.ws.send(data);
        const { code } = await socket.closed;
        expect(code === 1009 || (code >= 4400 && code < 4500)).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(await t.qr.inspect(session.sessionId)).toMatchObject({ version });
  });
});
