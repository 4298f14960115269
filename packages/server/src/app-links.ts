/**
 * iOS Universal Links and Android App Links for the QR URL: with them, a phone that has the app
 * opens `{origin}{basePath}/q/1/<sessionId>` — from the camera, or from the "Open in app" link of a
 * `<qr-login>` on the phone itself — in the app instead of the browser. The server answers the two
 * association files from the `appLinks` option; the app side is described in docs/app.md.
 */
import { WELL_KNOWN } from '@qrlogin/protocol';
import type { CoreResponse } from './http/types.js';

/**
 * The apps allowed to open the QR URL.
 *
 * @example
 * const appLinks: AppLinksOptions = {
 *   apple: { appIds: ['ABCDE12345.com.example.app'] },
 *   android: { packageName: 'com.example.app', sha256CertFingerprints: ['14:6D:…:F5'] },
 * };
 */
export interface AppLinksOptions {
  /** iOS apps, as `<Team ID>.<bundle id>` (e.g. `ABCDE12345.com.example.app`). */
  apple?: { appIds: readonly string[] };
  /**
   * The Android app: its package name and the SHA-256 fingerprints of its signing certificates, as
   * `keytool -list -v` prints them (32 upper-case hex bytes joined by colons).
   */
  android?: { packageName: string; sha256CertFingerprints: readonly string[] };
}

/** The two association files, prepared once at construction: each request only sends bytes. */
export type AppLinkFiles = ReadonlyMap<string, string>;

const APPLE_APP_ID = /^[A-Z0-9]{10}\.[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/;
const ANDROID_PACKAGE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$/;
const FINGERPRINT = /^[0-9A-F]{2}(:[0-9A-F]{2}){31}$/;

function refuse(name: string, expected: string, value?: unknown): never {
  const got = value === undefined ? '' : `, got ${JSON.stringify(value)?.slice(0, 120)}`;
  throw new TypeError(`createQrLogin: option "appLinks${name}" ${expected}${got}`);
}

function list(name: string, value: unknown, pattern: RegExp, what: string): string[] {
  if (!Array.isArray(value) || value.length === 0) refuse(name, `must be a non-empty array of ${what}`, value);
  for (const item of value) {
    if (typeof item !== 'string' || !pattern.test(item)) refuse(name, `holds something that is not ${what}`, item);
  }
  return [...value];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) refuse(name, `has no field ${JSON.stringify(key)} (known: ${known.join(', ')})`);
  }
}

/**
 * Validates the `appLinks` option and builds both files; `undefined` when the option is not set
 * (then nothing under `/.well-known/` is answered). Only the QR path, `{basePath}/q/*`, is
 * associated: the rest of the site keeps opening in the browser.
 *
 * @example
 * const files = appLinkFiles({ apple: { appIds: ['ABCDE12345.com.example.app'] } }, '/qrlogin');
 * files?.get('/.well-known/apple-app-site-association');
 */
export function appLinkFiles(option: AppLinksOptions | undefined, basePath: string): AppLinkFiles | undefined {
  if (option === undefined) return undefined;
  if (!isObject(option)) refuse('', 'must be an object { apple?, android? }', option);
  onlyKeys('', option, ['apple', 'android']);
  const { apple, android } = option as Record<string, unknown>;
  if (apple === undefined && android === undefined) refuse('', 'must name an apple or an android app');
  const files = new Map<string, string>();
  // `/q/*` covers every QR payload version the server may print; nothing else of the site.
  const qrPath = `${basePath}/q/*`;
  if (apple !== undefined) {
    if (!isObject(apple)) refuse('.apple', 'must be an object { appIds }', apple);
    onlyKeys('.apple', apple, ['appIds']);
    const appIds = list('.apple.appIds', apple.appIds, APPLE_APP_ID, 'app ids like "ABCDE12345.com.example.app"');
    const body = {
      applinks: { details: [{ appIDs: appIds, components: [{ '/': qrPath, comment: 'qrlogin sign-in codes' }] }] },
    };
    files.set(WELL_KNOWN.apple, JSON.stringify(body));
  }
  if (android !== undefined) {
    if (!isObject(android)) refuse('.android', 'must be an object { packageName, sha256CertFingerprints }', android);
    onlyKeys('.android', android, ['packageName', 'sha256CertFingerprints']);
    if (typeof android.packageName !== 'string' || !ANDROID_PACKAGE.test(android.packageName)) {
      refuse('.android.packageName', 'must be a package name like "com.example.app"', android.packageName);
    }
    const fingerprints = list(
      '.android.sha256CertFingerprints',
      android.sha256CertFingerprints,
      FINGERPRINT,
      'SHA-256 fingerprints like "14:6D:…" (32 upper-case hex bytes joined by ":")',
    );
    const body = [
      {
        relation: ['delegate_permission/common.handle_all_urls'],
        target: { namespace: 'android_app', package_name: android.packageName, sha256_cert_fingerprints: fingerprints },
      },
    ];
    files.set(WELL_KNOWN.android, JSON.stringify(body));
  }
  return files;
}

/**
 * The response for an association file, or `null` when `path` is not one this server serves
 * (the host's own `/.well-known/` routes then stay the host's). GET and HEAD only; no redirects,
 * which iOS does not follow for this file.
 *
 * @example
 * const response = appLinkResponse(files, 'GET', '/.well-known/assetlinks.json');
 */
export function appLinkResponse(files: AppLinkFiles | undefined, method: string, path: string): CoreResponse | null {
  const body = files?.get(path);
  if (body === undefined) return null;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-content-type-options': 'nosniff',
    // Apple's CDN and Android's verifier fetch these rarely; an hour keeps a changed key from lingering.
    'cache-control': 'public, max-age=3600',
  };
  if (method !== 'GET' && method !== 'HEAD') {
    return { status: 405, headers: { ...headers, allow: 'GET, HEAD' }, body: '' };
  }
  return { status: 200, headers, body: method === 'HEAD' ? '' : body };
}
