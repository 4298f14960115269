/**
 * The bench load generator's raw-socket HTTP client, against a real node:http server: what it reads
 * is what the server sent, whatever the body's framing, and it never mixes up two responses.
 * A wrong client would make every benchmark number wrong, so it gets tests of its own.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpClient, parseResponse } from '../bench/load/http-client.js';

let server: http.Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const echo = JSON.stringify({ method: req.method, url: req.url, body, headers: req.headers });
      if (req.url === '/chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(echo.slice(0, 5));
        setTimeout(() => res.end(echo.slice(5)), 5);
      } else if (req.url === '/close') {
        res.writeHead(200, { connection: 'close', 'content-length': Buffer.byteLength(echo) });
        res.end(echo);
      } else if (req.url === '/empty') {
        res.writeHead(204).end();
      } else if (req.url?.startsWith('/status/')) {
        res.writeHead(Number(req.url.slice(8)), { 'content-type': 'text/plain' }).end('nope');
      } else {
        res.end(echo);
      }
    });
  });
  server.on('connection', () => {
    connections++;
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('bench http client', () => {
  it('sends method, path, headers and a UTF-8 body, and reads the answer back', async () => {
    const client = httpClient(port);
    const res = await client.request('POST', '/echo?x=1', '{"name":"Zoë ✓"}', { origin: 'https://a.example' });
    client.destroy();
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.text);
    expect(echo).toMatchObject({ method: 'POST', url: '/echo?x=1', body: '{"name":"Zoë ✓"}' });
    expect(echo.headers).toMatchObject({ origin: 'https://a.example', 'content-type': 'application/json' });
  });

  it('reads chunked bodies, 204s and error statuses', async () => {
    const client = httpClient(port);
    const chunked = await client.request('GET', '/chunked');
    expect(JSON.parse(chunked.text).url).toBe('/chunked');
    expect(await client.request('GET', '/empty')).toEqual({ status: 204, text: '' });
    expect(await client.request('GET', '/status/404')).toEqual({ status: 404, text: 'nope' });
    client.destroy();
  });

  it('keeps connections alive, at most maxSockets of them, and answers each request with its own response', async () => {
    const before = connections;
    const client = httpClient(port, 4);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => client.request('POST', `/n/${i}`, String(i))),
    );
    client.destroy();
    expect(results.map((res) => JSON.parse(res.text))).toMatchObject(
      results.map((_, i) => ({ url: `/n/${i}`, body: String(i) })),
    );
    expect(connections - before).toBe(4);
  });

  it('replaces a connection the server closes', async () => {
    const before = connections;
    const client = httpClient(port, 1);
    const [a, b] = await Promise.all([client.request('GET', '/close'), client.request('GET', '/after')]);
    client.destroy();
    expect(JSON.parse(a.text).url).toBe('/close');
    expect(JSON.parse(b.text).url).toBe('/after');
    expect(connections - before).toBe(2);
  });

  it('rejects when nothing listens, and after destroy', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = httpClient(deadPort);
    await expect(client.request('GET', '/')).rejects.toThrow(/ECONNREFUSED/);
    client.destroy();
    await expect(client.request('GET', '/')).rejects.toThrow(/destroyed/);
  });

  it('parses a response however its bytes are split', () => {
    const body = '{"ok":"✓"}';
    const wire = Buffer.from(`HTTP/1.1 200 OK\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: wire.length }), (cut) => {
        const partial = parseResponse(wire.subarray(0, cut));
        if (cut < wire.length) expect(partial).toBeNull();
        else expect(partial).toEqual({ status: 200, text: body, close: false });
      }),
    );
    expect(() => parseResponse(Buffer.from('SSH-2.0\r\n\r\n'))).toThrow(/status line/);
  });
});
