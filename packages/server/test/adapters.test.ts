/**
 * The framework adapters on real servers: a full create → subscribe → scan → confirm → redeem
 * through Fastify and Hono, so body handling, client IPs and the WebSocket work in each.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { LoginRequest } from '@qrlogin/protocol';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { qrLoginFastify } from '../src/adapters/fastify.js';
import { qrLoginHono } from '../src/adapters/hono.js';
import { createQrLogin, type QrLogin } from '../src/index.js';
import { createSession, newDevice, post, startServer, subscribe, type TestServer } from './helpers.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function fullFlow(t: TestServer) {
  const session = await createSession(t);
  const socket = await subscribe(t, session);
  const phone = await newDevice(t);
  const scan = await phone.scan(session.sessionId);
  expect(scan.status).toBe(200);
  expect((scan.body as LoginRequest).requester.ip).toBe('127.0.0.1');
  expect((await phone.confirm(scan.body)).body.state).toBe('confirmed');
  await socket.waitFor('confirmed');
  expect(await t.qr.redeem(session)).toMatchObject({ userId: 'alice' });
}

function asTestServer(qr: QrLogin, server: Server, origin: string): TestServer {
  return { qr, server, origin, base: `${origin}/qrlogin`, close: async () => {} };
}

describe('adapters', () => {
  it('Fastify: plugin serves routes with raw bodies, leaves other routes to Fastify', async () => {
    // Fastify plugins register before listen, and the origin needs the port: reserve one first.
    const net = await import('node:net');
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const origin = `http://127.0.0.1:${port}`;
    const qr = createQrLogin({ origin, rateLimits: false });
    const app = Fastify();
    app.post('/echo', async (request) => request.body);
    await app.register(qrLoginFastify(qr));
    await app.listen({ port, host: '127.0.0.1' });
    cleanups.push(
      () => app.close(),
      () => qr.close(),
    );
    await fullFlow(asTestServer(qr, app.server, origin));
    const echo = await fetch(`${origin}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(await echo.json()).toEqual({ a: 1 });
  });

  it('Hono on Node: middleware answers qrlogin paths and passes the rest on', async () => {
    let qr!: QrLogin;
    const app = new Hono();
    app.use((c, next) => qrLoginHono(qr)(c, next));
    app.get('/', (c) => c.text('host page'));
    const server = await new Promise<Server>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    qr = createQrLogin({ origin, rateLimits: false });
    qr.attach(server);
    cleanups.push(
      () => qr.close(),
      () => new Promise((r) => server.close(r)),
    );
    await fullFlow(asTestServer(qr, server, origin));
    expect(await (await fetch(`${origin}/`)).text()).toBe('host page');
  });

  it('Fastify and Hono route the app-link files (and only those) outside the base path', async () => {
    const appLinks = { apple: { appIds: ['ABCDE12345.com.example.app'] } };
    const fastifyQr = createQrLogin({ origin: 'https://example.com', appLinks });
    const fastify = Fastify();
    fastify.get('/.well-known/security.txt', async () => 'host file');
    await fastify.register(qrLoginFastify(fastifyQr));
    cleanups.push(
      () => fastify.close(),
      () => fastifyQr.close(),
    );
    const aasa = await fastify.inject({ method: 'GET', url: '/.well-known/apple-app-site-association' });
    expect(aasa.statusCode).toBe(200);
    expect(aasa.json()).toMatchObject({ applinks: { details: [{ appIDs: appLinks.apple.appIds }] } });
    expect((await fastify.inject({ method: 'GET', url: '/.well-known/security.txt' })).body).toBe('host file');

    const honoQr = createQrLogin({ origin: 'https://example.com', appLinks });
    cleanups.push(() => honoQr.close());
    const hono = new Hono();
    hono.use(qrLoginHono(honoQr));
    hono.get('/.well-known/assetlinks.json', (c) => c.text('the host own file'));
    const fromHono = await hono.request('https://example.com/.well-known/apple-app-site-association');
    expect(fromHono.status).toBe(200);
    expect(await fromHono.json()).toMatchObject({ applinks: { details: [{ appIDs: appLinks.apple.appIds }] } });
    // Not configured for Android: the host's own route still answers.
    expect(await (await hono.request('https://example.com/.well-known/assetlinks.json')).text()).toBe(
      'the host own file',
    );
  });

  it('node handler: passes other paths to next(), and accepts a body an upstream parser already read', async () => {
    const http = await import('node:http');
    let qr!: QrLogin;
    const server = http.createServer((req, res) => {
      // Imitates express.json(): the stream is consumed and the parsed object is on req.body.
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        if (chunks.length) Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()) });
        qr.node(req, res, () => res.end('next'));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    qr = createQrLogin({ origin, rateLimits: false });
    qr.attach(server);
    cleanups.push(
      () => qr.close(),
      () => new Promise((r) => server.close(r)),
    );
    await fullFlow(asTestServer(qr, server, origin));
    expect(await (await fetch(`${origin}/elsewhere`)).text()).toBe('next');
  });

  it("node handler: declares every response body's length instead of chunked framing, and none on a 204", async () => {
    const t = await startServer();
    cleanups.push(() => t.close());
    const framing = (headers: Headers) => ({
      length: headers.get('content-length'),
      chunked: headers.get('transfer-encoding'),
    });
    const created = await fetch(`${t.base}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.origin },
      body: '{}',
    });
    const text = await created.text();
    expect(created.status).toBe(201);
    expect(framing(created.headers)).toEqual({ length: String(Buffer.byteLength(text)), chunked: null });
    const missing = await fetch(`${t.base}/nowhere`);
    expect(framing(missing.headers)).toEqual({
      length: String(Buffer.byteLength(await missing.text())),
      chunked: null,
    });

    const phone = await newDevice(t);
    const timestamp = Date.now();
    const revoked = await post(`${t.base}/devices/${phone.deviceId}/revoke`, {
      timestamp,
      signature: phone.sign({ action: 'revoke', deviceId: phone.deviceId, timestamp }),
    });
    expect(revoked.status).toBe(204);
    expect(framing(revoked.headers)).toEqual({ length: null, chunked: null });
  });
});
