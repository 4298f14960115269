/**
 * Strict shape checks for the link routes' bodies, like every other body: exact keys, exact
 * formats, `INVALID_REQUEST` before anything is read or counted.
 */
import { isCode, type LinkClaimBody, type LinkConfirmBody } from '@qrlogin/protocol';
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
 * Validates a `POST /links/:id/confirm` body: `{ code }`, the two digits the phone shows.
 *
 * @example
 * const { code } = parseLinkConfirmBody(await readJson(request, maxBodyBytes));
 */
export function parseLinkConfirmBody(body: Json): LinkConfirmBody {
  onlyKeys(body, ['code']);
  field(isCode(body.code), 'code', 'two digits');
  return body as unknown as LinkConfirmBody;
}

/**
 * Validates a `POST /links/:id/reject` body: empty or `{}`.
 *
 * @example
 * parseLinkRejectBody(await readJson(request, maxBodyBytes));
 */
export function parseLinkRejectBody(body: Json): void {
  onlyKeys(body, []);
}
