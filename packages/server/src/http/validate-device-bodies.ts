/**
 * Shape checks of the device-management bodies, as strict as every other body: exact keys, exact
 * formats, `INVALID_REQUEST` before anything is read or changed.
 */
import {
  DEVICE_LABEL_RULE,
  isDeviceId,
  isDeviceLabel,
  isSignatureText,
  type RenameDeviceBody,
  type SignedDeviceCallBody,
} from '@qrlogin/protocol';
import { field, onlyKeys, timestampOk } from './validate-body.js';

type Json = Record<string, unknown>;

/** Validates the body of a signed `list-devices` or `revoke-device` call. */
export function parseSignedDeviceCall(body: Json): SignedDeviceCallBody {
  onlyKeys(body, ['deviceId', 'timestamp', 'signature']);
  return checkSigned(body);
}

function checkSigned(body: Json): SignedDeviceCallBody {
  field(isDeviceId(body.deviceId), 'deviceId', 'a device id');
  field(timestampOk(body.timestamp), 'timestamp', 'an integer of milliseconds since the epoch');
  field(isSignatureText(body.signature), 'signature', 'an 86-character canonical base64url Ed25519 signature');
  return body as unknown as SignedDeviceCallBody;
}

/** Validates the body of a signed `rename-device` call. */
export function parseRenameDeviceBody(body: Json): RenameDeviceBody {
  onlyKeys(body, ['deviceId', 'label', 'timestamp', 'signature']);
  field(isDeviceLabel(body.label), 'label', DEVICE_LABEL_RULE);
  return { ...checkSigned(body), label: body.label as string };
}

/** Validates the web side's rename body: `{ label }`. */
export function parseWebRenameBody(body: Json): { label: string } {
  onlyKeys(body, ['label']);
  field(isDeviceLabel(body.label), 'label', DEVICE_LABEL_RULE);
  return { label: body.label as string };
}
