// One complete login through the installed tarballs: a node:http server with @qrlogin/server, the
// browser's side spoken over a plain `ws` client, and a phone in Node with @qrlogin/app.
// create → subscribe → scan → confirm → redeem, then the redeem is refused a second time; then what
// comes after: the phone lists the login, its receipt verifies with only the device's public key,
// and ending it from the phone calls the host's endSession hook with that login.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createQrLoginApp, generateDeviceKeys, registerDevice } from '@qrlogin/app';
import {
  type CreateSessionResponse,
  createQrLogin,
  isQrLoginError,
  type StatusSnapshot,
  verifyReceipt,
} from '@qrlogin/server';
import WebSocket from 'ws';

const server = http.createServer();
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const baseUrl = `${origin}/qrlogin`;
const ended: string[] = [];
const qr = createQrLogin({
  origin,
  authenticate: (request) => (request.headers.get('authorization') === 'Bearer ana' ? { userId: 'ana' } : null),
  // The host deletes its own session for the login here; this check records which one it was asked to.
  endSession: (login) => {
    ended.push(login.id);
  },
});
server.on('request', (req, res) => qr.node(req, res));
qr.attach(server);
const audit: string[] = [];
qr.events.on('confirmed', (event) => audit.push(`confirmed ${event.userId}`));

// The browser: create a session, then subscribe over the WebSocket.
const created = await fetch(`${baseUrl}/sessions`, { method: 'POST', headers: { origin } });
assert.equal(created.status, 201);
const session = (await created.json()) as CreateSessionResponse;
const socket = new WebSocket(`${baseUrl.replace('http:', 'ws:')}/ws`, { origin });
const frames: StatusSnapshot[] = [];
const waiters: Array<() => void> = [];
socket.on('message', (data) => {
  const frame = JSON.parse(String(data)) as { type: string } & StatusSnapshot;
  assert.equal(frame.type, 'state', String(data));
  frames.push(frame);
  for (const wake of waiters.splice(0)) wake();
});
socket.on('open', () =>
  socket.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret })),
);
const pushed = async (state: string): Promise<StatusSnapshot> => {
  for (;;) {
    const frame = frames.find((f) => f.state === state);
    if (frame) return frame;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
};
await pushed('pending');

// The phone: register its key for "ana", scan the QR payload, confirm with the code the page shows.
const keys = generateDeviceKeys();
const { deviceId } = await registerDevice({
  baseUrl,
  keys,
  label: 'consumer check',
  userId: 'ana', // signed into the registration (message version 2)
  headers: { authorization: 'Bearer ana' },
});
const phone = createQrLoginApp({ baseUrl, deviceId, keys });
const request = await phone.scan(session.qrPayload);
assert.equal(request.origin, origin);
const scanned = await pushed('scanned');
const decision = await request.confirm(scanned.code === undefined ? {} : { code: scanned.code });
assert.equal(decision.state, 'confirmed');
await pushed('confirmed');

// The host's own login route: redeem once.
const redemption = await qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret });
assert.equal(redemption.userId, 'ana');
assert.equal(redemption.deviceId, deviceId);
await assert.rejects(qr.redeem({ sessionId: session.sessionId, browserSecret: session.browserSecret }), isQrLoginError);
assert.deepEqual(audit, ['confirmed ana']);

// After the login: the phone lists it, the receipt verifies offline, the phone ends it.
const [listed] = await phone.listLogins();
assert.equal(listed?.id, redemption.loginId);
assert.equal(listed?.thisDevice, true);
const [stored] = await qr.listLogins('ana');
assert.ok(stored?.receipt, 'the login keeps the signed approval');
const verified = await verifyReceipt(stored.receipt, keys.publicKey);
assert.equal(verified.sessionId, session.sessionId);
assert.equal(verified.deviceId, deviceId);
assert.equal(await phone.endLogin(redemption.loginId), true);
assert.deepEqual(ended, [redemption.loginId]);
assert.equal((await qr.listLogins('ana'))[0]?.endReason, 'user');

socket.close();
await qr.close();
await new Promise((resolve) => server.close(resolve));
console.log(
  `login ok: ${frames.map((f) => f.state).join(' → ')}, redeemed by ${redemption.userId}; receipt verified, ended from the phone`,
);
