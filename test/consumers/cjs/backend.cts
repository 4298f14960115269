// A CommonJS backend (TypeScript `module: nodenext`, emitted as require()) using the ESM-only
// @qrlogin/server through Node's require(esm) (Node >= 20.19).
import assert = require('node:assert/strict');
import http = require('node:http');

import type { AddressInfo } from 'node:net';
import { createQrLogin, type QrLogin } from '@qrlogin/server';

async function main(): Promise<void> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const qr: QrLogin = createQrLogin({ origin });
  server.on('request', (req, res) => qr.node(req, res));
  let created = 0;
  qr.events.on('created', (event) => {
    created += event.sessionId.length > 0 ? 1 : 0;
  });
  const response = await fetch(`${origin}/qrlogin/sessions`, { method: 'POST', headers: { origin } });
  assert.equal(response.status, 201);
  assert.equal(created, 1);
  await qr.close();
  await new Promise((resolve) => server.close(resolve));
  console.log('require(esm) ok: a CommonJS backend created a session');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
