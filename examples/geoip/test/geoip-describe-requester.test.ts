/**
 * The GeoIP hook against a real MaxMind-format file (a tiny fixture written by `write-mmdb.ts` and
 * read by the real `maxmind` reader), and wired into a real qrlogin server: the requester's place on
 * the confirm screen, and the proximity policy judging by place when networks differ. The phone is
 * the real `@qrlogin/app` client; its address reaches the server through a trusted proxy's
 * `X-Forwarded-For`, as in production.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createQrLoginApp, type FetchLike, generateDeviceKeys } from '@qrlogin/app';
import { type CreateSessionResponse, createQrLogin, type QrLogin, type QrLoginOptions } from '@qrlogin/server';
import { type CityResponse, open } from 'maxmind';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { geoipDescribeRequester, openGeoIp, placeOf } from '../src/index.js';
import { FIXTURE_NETWORKS, writeMmdb } from './write-mmdb.js';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qrlogin-geoip-'));
  dbPath = join(dir, 'GeoLite2-City-fixture.mmdb');
  await writeFile(dbPath, writeMmdb(FIXTURE_NETWORKS));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the fixture database, read by the real maxmind reader', () => {
  it('answers inside each network, at its edges, and nothing outside', async () => {
    const reader = await open<CityResponse>(dbPath);
    expect(reader.metadata).toMatchObject({ databaseType: 'GeoLite2-City', ipVersion: 6, recordSize: 24 });
    expect(reader.get('198.51.100.0')?.city?.names.en).toBe('Berlin');
    expect(reader.get('198.51.100.255')?.country?.iso_code).toBe('DE');
    expect(reader.get('198.51.101.0')).toBeNull();
    expect(reader.getWithPrefixLength('203.0.113.127')[1]).toBe(25);
    expect(reader.get('203.0.113.128')).toBeNull();
    expect(reader.get('192.0.2.77')?.city?.names.en).toBe('Sydney');
    expect(reader.get('2001:db8:40:ffff::1')?.city?.names.de).toBe('München');
    expect(reader.get('2001:db8:41::1')?.city).toBeUndefined();
    expect(reader.get('2001:db8:42::1')).toBeNull();
  });
});

describe('geoipDescribeRequester', () => {
  it('names the city and country code, in the chosen language', async () => {
    const describe = await openGeoIp(dbPath);
    expect(describe('198.51.100.7', 'ua')).toEqual({ place: 'Berlin, DE' });
    expect(describe('203.0.113.5', 'ua')).toEqual({ place: 'Berlin, DE' });
    expect(describe('192.0.2.1', 'ua')).toEqual({ place: 'Sydney, AU' });
    expect(describe('2001:db8:40::9', 'ua')).toEqual({ place: 'Munich, DE' });
    const german = await openGeoIp(dbPath, { language: 'de' });
    expect(german('2001:db8:40::9', 'ua')).toEqual({ place: 'München, DE' });
    // A language the record lacks falls back to English.
    const japanese = await openGeoIp(dbPath, { language: 'ja' });
    expect(japanese('198.51.100.7', 'ua')).toEqual({ place: 'Berlin, DE' });
  });

  it('falls back to the country for a country-only record', async () => {
    const describe = await openGeoIp(dbPath);
    expect(describe('2001:db8:41::1', 'ua')).toEqual({ place: 'France' });
  });

  it('reads IPv4-mapped IPv6 addresses as IPv4', async () => {
    const describe = await openGeoIp(dbPath);
    expect(describe('::ffff:198.51.100.7', 'ua')).toEqual({ place: 'Berlin, DE' });
  });

  it('gives no place for uncovered, private or malformed addresses, and never throws', async () => {
    const describe = await openGeoIp(dbPath);
    for (const ip of ['10.0.0.1', '127.0.0.1', '198.51.101.1', '2001:db8:42::1', 'unknown', '', '999.1.1.1']) {
      expect(describe(ip, 'ua')).toEqual({});
    }
  });

  it('a reader that throws costs the place, not the call', () => {
    const broken = {
      get: () => {
        throw new Error('corrupt search tree');
      },
    } as unknown as Parameters<typeof geoipDescribeRequester>[0];
    expect(geoipDescribeRequester(broken)('198.51.100.7', 'ua')).toEqual({});
  });

  it('placeOf: null record, city without country, registered country only', () => {
    expect(placeOf(null)).toBeUndefined();
    expect(placeOf({ city: { geoname_id: 1, names: { en: 'Nowhere' } } } as CityResponse)).toBeUndefined();
    expect(
      placeOf({ registered_country: { geoname_id: 1, iso_code: 'NL', names: { en: 'Netherlands' } } } as CityResponse),
    ).toBe('Netherlands');
  });

  it('openGeoIp refuses a file that is not a MaxMind database', async () => {
    const bogus = join(dir, 'not-a-db.mmdb');
    await writeFile(bogus, 'hello');
    await expect(openGeoIp(bogus)).rejects.toThrow();
  });
});

// ─────────────────────────────── wired into a real qrlogin server ───────────────────────────────

interface Host {
  qr: QrLogin;
  origin: string;
  close(): Promise<void>;
}

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

/** A host behind one trusted reverse proxy, with the GeoIP hook. */
async function startHost(options: Partial<QrLoginOptions>): Promise<Host> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const qr = createQrLogin({
    origin,
    trustProxy: 1,
    describeRequester: await openGeoIp(dbPath),
    rateLimits: false,
    ...options,
  });
  server.on('request', (req, res) => qr.node(req, res));
  qr.attach(server);
  host = {
    qr,
    origin,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return host;
}

/** The browser creates a session from `ip` (as the proxy reports it). */
async function browserAt(h: Host, ip: string): Promise<CreateSessionResponse> {
  const res = await fetch(`${h.origin}/qrlogin/sessions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: h.origin,
      'x-forwarded-for': ip,
      'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    },
    body: '{}',
  });
  expect(res.status).toBe(201);
  return (await res.json()) as CreateSessionResponse;
}

/** The real app client, on a phone at `ip` (as the proxy reports it). */
async function phoneAt(h: Host, ip: string) {
  const keys = generateDeviceKeys();
  const device = await h.qr.registerDevice({ userId: 'alice', publicKey: keys.publicKey, label: 'phone' });
  const viaProxy: FetchLike = (url, init) =>
    fetch(url, { ...init, headers: { ...init.headers, 'x-forwarded-for': ip } });
  return createQrLoginApp({ baseUrl: `${h.origin}/qrlogin`, deviceId: device.id, keys, fetch: viaProxy });
}

describe('a qrlogin server with the GeoIP hook', () => {
  it('shows the browser’s place on the confirm screen and judges a phone elsewhere in the same city near', async () => {
    const h = await startHost({ proximity: 'deny' });
    const session = await browserAt(h, '198.51.100.7');
    const phone = await phoneAt(h, '203.0.113.20');
    const request = await phone.scan(session.qrPayload);
    expect(request.requester).toMatchObject({ ip: '198.51.100.7', place: 'Berlin, DE', browser: 'Firefox 128' });
    expect(request.proximity).toEqual({ sameNetwork: false, samePlace: true, distance: 'near', policy: 'deny' });
    expect((await request.confirm()).state).toBe('confirmed');
    const login = await h.qr.redeem(session);
    expect(login.requester.place).toBe('Berlin, DE');
  });

  it('deny: a phone in another city is refused and the session rejected', async () => {
    const h = await startHost({ proximity: 'deny' });
    const session = await browserAt(h, '198.51.100.7');
    const phone = await phoneAt(h, '192.0.2.44');
    await expect(phone.scan(session.qrPayload)).rejects.toMatchObject({ code: 'PROXIMITY_DENIED' });
    expect((await h.qr.inspect(session.sessionId))?.state).toBe('rejected');
  });

  it('warn: a phone in another city may go on, told the requester is far', async () => {
    const h = await startHost({ proximity: 'warn' });
    const session = await browserAt(h, '2001:db8:40::1');
    const phone = await phoneAt(h, '192.0.2.44');
    const request = await phone.scan(session.qrPayload);
    expect(request.requester.place).toBe('Munich, DE');
    expect(request.proximity).toEqual({ sameNetwork: false, samePlace: false, distance: 'far', policy: 'warn' });
    expect((await request.confirm()).state).toBe('confirmed');
  });

  it('an address the database does not know leaves the place out and the distance unknown', async () => {
    const h = await startHost({ proximity: 'warn' });
    const session = await browserAt(h, '198.51.101.9');
    const phone = await phoneAt(h, '192.0.2.44');
    const request = await phone.scan(session.qrPayload);
    expect(request.requester.place).toBeUndefined();
    expect(request.proximity).toEqual({ sameNetwork: false, distance: 'unknown', policy: 'warn' });
  });
});
