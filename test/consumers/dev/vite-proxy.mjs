// The dev setup docs/getting-started.md describes: the page on Vite's dev server, the backend on its
// own port, `/qrlogin` proxied with `ws: true`, and `origin` set to the dev server's origin (the one
// the browser and the phone use). A session is created and its WebSocket subscribed through the proxy.
import assert from 'node:assert/strict';
import http from 'node:http';
import { createQrLogin } from '@qrlogin/server';
import { createServer } from 'vite';
import WebSocket from 'ws';

const backend = http.createServer();
await new Promise((resolve) => backend.listen(0, '127.0.0.1', resolve));
const target = `http://127.0.0.1:${backend.address().port}`;

const vite = await createServer({
  root: new URL('../web', import.meta.url).pathname,
  logLevel: 'warn',
  server: { host: '127.0.0.1', port: 0, proxy: { '/qrlogin': { target, ws: true } } },
});
await vite.listen();
const origin = vite.resolvedUrls.local[0].replace(/\/$/, '');

const qr = createQrLogin({ origin });
backend.on('request', (req, res) => qr.node(req, res));
qr.attach(backend);

const page = await fetch(`${origin}/`);
assert.equal(page.status, 200);
assert.match(await page.text(), /<qr-login/);
const created = await fetch(`${origin}/qrlogin/sessions`, { method: 'POST', headers: { origin } });
assert.equal(created.status, 201, await created.clone().text());
const session = await created.json();
assert.ok(session.qrPayload.startsWith(`${origin}/qrlogin/q/1/`), session.qrPayload);

const socket = new WebSocket(`${origin.replace('http:', 'ws:')}/qrlogin/ws`, { origin });
const first = await new Promise((resolve, reject) => {
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'auth', sessionId: session.sessionId, browserSecret: session.browserSecret })),
  );
  socket.on('message', (data) => resolve(JSON.parse(String(data))));
  socket.on('error', reject);
});
assert.equal(first.type, 'state');
assert.equal(first.state, 'pending');

socket.close();
await qr.close();
await vite.close();
await new Promise((resolve) => backend.close(resolve));
console.log(`vite dev proxy ok: ${origin}/qrlogin → ${target}, WebSocket pushed "${first.state}"`);
