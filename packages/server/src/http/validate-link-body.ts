/**
 * Strict shape checks for the link routes' bodies, like every other body: exact keys, exact
 * formats, `INVALID_REQUEST` before anything is read or counted.
 */
import {
  isBrowserSecret,
  isCode,
  type LinkClaimBody,
  type LinkConfirmBody,
  type LinkRejectBody,
} from '@qrlogin/protocol';
import { field, onlyKeys, parseRegisterBody } from './validate-body.js';

type Json = Record<string, unknown>;

/**
 * Validates a `POST /links/:id/claim` body: the same fields, with the same rules, as a device
 * registration (the key, its label, a timestamp and a signature).
 *
 * @example
 * const claim = parseLinkClaimBody(await readJson(request, maxBodyBytes));
 */
export const parseLinkClaimBody: (body: Json) => LinkClaimBody = parseRegisterBody;

/**
 * Validates a `POST /links/:id/confirm` body: the browser secret and the two digits the phone shows.
 *
 * @example
 * const { browserSecret, code } = parseLinkConfirmBody(await readJson(request, maxBodyBytes));
 */
export function parseLinkConfirmBody(body: Json): LinkConfirmBody {
  onlyKeys(body, ['browserSecret', 'code']);
  field(isBrowserSecret(body.browserSecret), 'browserSecret', 'the browser secret of this link');
  field(isCode(body.code), 'code', 'two digits');
  return body as unknown as LinkConfirmBody;
}

/**
 * Validates a `POST /links/:id/reject` body: the browser secret alone.
 *
 * @example
 * const { browserSecret } = parseLinkRejectBody(await readJson(request, maxBodyBytes));
 */
export function parseLinkRejectBody(body: Json): LinkRejectBody {
  onlyKeys(body, ['browserSecret']);
  field(isBrowserSecret(body.browserSecret), 'browserSecret', 'the browser secret of this link');
  return body as unknown as LinkRejectBody;
}

/**
 * Validates a `POST /links` body: empty or `{}`.
 *
 * @example
 * parseCreateLinkBody(await readJson(request, maxBodyBytes));
 */
export function parseCreateLinkBody(body: Json): void {
  onlyKeys(body, []);
}
