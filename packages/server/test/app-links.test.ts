/** App-site association files: validated at construction, served outside the base path, QR path only. */
import { describe, expect, it } from 'vitest';
import { createQrLogin } from '../src/create-qr-login.js';
import { serversPerTest } from './helpers.js';

const server = serversPerTest();
const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');
const appLinks = {
  apple: { appIds: ['ABCDE12345.com.example.app'] },
  android: { packageName: 'com.example.app', sha256CertFingerprints: [FINGERPRINT] },
};

describe('appLinks', () => {
  it('serves apple-app-site-association for {basePath}/q/* only, as JSON', async () => {
    const t = await server({ appLinks, basePath: '/auth/qr' });
    const res = await fetch(`${t.origin}/.well-known/apple-app-site-association`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({
      applinks: {
        details: [
          {
            appIDs: ['ABCDE12345.com.example.app'],
            components: [{ '/': '/auth/qr/q/*', comment: 'qrlogin sign-in codes' }],
          },
        ],
      },
    });
  });

  it('serves assetlinks.json with the package and fingerprints', async () => {
    const t = await server({ appLinks });
    const res = await fetch(`${t.origin}/.well-known/assetlinks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual([
      {
        relation: ['delegate_permission/common.handle_all_urls'],
        target: { namespace: 'android_app', package_name: 'com.example.app', sha256_cert_fingerprints: [FINGERPRINT] },
      },
    ]);
    expect(t.qr.wellKnownPaths).toEqual(['/.well-known/apple-app-site-association', '/.well-known/assetlinks.json']);
    const post = await fetch(`${t.origin}/.well-known/assetlinks.json`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('leaves /.well-known/ to the host without the option, and serves only the platforms given', async () => {
    const node = createQrLogin({ origin: 'https://example.com' });
    let passed = false;
    const res = { writeHead() {}, end() {}, setHeader() {} } as never;
    node.node({ method: 'GET', url: '/.well-known/assetlinks.json', headers: {}, socket: {} } as never, res, () => {
      passed = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(passed).toBe(true);
    await node.close();

    const t = await server({ appLinks: { apple: appLinks.apple } });
    expect((await fetch(`${t.origin}/.well-known/assetlinks.json`)).status).toBe(404);
    expect(t.qr.wellKnownPaths).toEqual(['/.well-known/apple-app-site-association']);
    const viaFetch = await t.qr.fetch(new Request(`${t.origin}/.well-known/apple-app-site-association`));
    expect(viaFetch.status).toBe(200);
  });

  it.each([
    [{}, /must name an apple or an android app/],
    [[], /must be an object/],
    [{ ios: {} }, /has no field "ios"/],
    [{ apple: { appIds: [] } }, /appLinks.apple.appIds" must be a non-empty array/],
    [{ apple: { appIds: ['com.example.app'] } }, /appLinks.apple.appIds" holds something that is not app ids/],
    [{ android: { packageName: 'example', sha256CertFingerprints: [FINGERPRINT] } }, /packageName/],
    [{ android: { packageName: 'com.example', sha256CertFingerprints: ['ab:cd'] } }, /sha256CertFingerprints/],
    [{ android: { packageName: 'com.example', sha256CertFingerprints: [FINGERPRINT.toLowerCase()] } }, /upper-case/],
  ])('refuses appLinks %j with a TypeError naming the field', (value, message) => {
    expect(() => createQrLogin({ origin: 'https://example.com', appLinks: value as never })).toThrow(TypeError);
    expect(() => createQrLogin({ origin: 'https://example.com', appLinks: value as never })).toThrow(message);
  });
});
