/**
 * Setup mistakes the server can see in requests get one log line each (issue 15 item 16): a
 * WebSocket request that reached the HTTP handler because `attach` was never called, and a page
 * origin missing from `allowedOrigins`. Once per problem, never per request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createQrLogin, type QrLogin } from '../src/index.js';
import { post } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await close?.();
  close = undefined;
});

/** qrlogin mounted with `qr.node` only: the host forgot `qr.attach(server)`. */
async function withoutAttach(): Promise<{ qr: QrLogin; origin: string }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const qr = createQrLogin({ origin, rateLimits: false });
  server.on('request', (req, res) => qr.node(req, res));
  close = async () => {
    await qr.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { qr, origin };
}

/** Tries a browser's WebSocket upgrade; resolves with the HTTP status it got instead. */
function upgradeStatus(origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace('http', 'ws')}/qrlogin/ws`, { origin });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

describe('misconfiguration', () => {
  it('a WebSocket request without attach: one misconfigured event naming attach, however many requests', async () => {
    const { qr, origin } = await withoutAttach();
    const events: unknown[] = [];
    qr.events.on('misconfigured', (event) => events.push(event));
    expect(await upgradeStatus(origin)).toBe(404);
    expect(await upgradeStatus(origin)).toBe(404);
    expect(events).toEqual([
      {
        problem: 'websocket-not-attached',
        option: 'attach',
        message: expect.stringContaining('call qr.attach(server)'),
        at: expect.any(Number),
      },
    ]);
  });

  it('without a listener it is one console.warn line', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { origin } = await withoutAttach();
    await upgradeStatus(origin);
    for (let i = 0; i < 3; i++) {
      expect((await post(`${origin}/qrlogin/sessions`, {}, { origin: 'http://localhost:5173' })).status).toBe(403);
    }
    await upgradeStatus(origin);
    expect(warn.mock.calls.map((call) => call.join(' '))).toEqual([
      expect.stringMatching(/^qrlogin: a WebSocket request .* call qr\.attach\(server\)/),
      expect.stringMatching(
        /^qrlogin: refused to create a session for a page on "http:\/\/localhost:5173": .*"allowedOrigins"/,
      ),
    ]);
  });
});
