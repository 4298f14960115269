/**
 * Shape checks of the device-management bodies, as strict as every other body: exact keys, exact
 * formats, `INVALID_REQUEST` before anything is read or changed.
 */
import { DEVICE_LABEL_RULE, isDeviceLabel, type RenameDeviceBody, type SignedDeviceCallBody } from '@qrlogin/protocol';
import { checkSignedFields, field, onlyKeys, parseSignedBody } from './validate-body.js';

type Json = Record<string, unknown>;

/** Validates the body of a signed `list-devices` or `revoke-device` call. */
export const parseSignedDeviceCall: (body: Json) => SignedDeviceCallBody = parseSignedBody;

/** Validates the body of a signed `rename-device` call. */
export function parseRenameDeviceBody(body: Json): RenameDeviceBody {
  onlyKeys(body, ['deviceId', 'label', 'timestamp', 'signature']);
  field(isDeviceLabel(body.label), 'label', DEVICE_LABEL_RULE);
  checkSignedFields(body);
  return body as unknown as RenameDeviceBody;
}

/** Validates the web side's rename body: `{ label }`. */
export function parseWebRenameBody(body: Json): { label: string } {
  onlyKeys(body, ['label']);
  field(isDeviceLabel(body.label), 'label', DEVICE_LABEL_RULE);
  return { label: body.label as string };
}
