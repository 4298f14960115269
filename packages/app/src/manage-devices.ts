/**
 * The phone's "Devices" screen: list the user's devices, rename one, revoke one — every call signed
 * by this device's key (actions `list-devices`, `rename-device`, `revoke-device`).
 */
import {
  APP_ROUTES,
  DEVICE_LABEL_RULE,
  type DeviceListResponse,
  type DeviceSummary,
  isDeviceId,
  isDeviceLabel,
  type RenameDeviceBody,
  type SignedDeviceCallBody,
  type SignedFields,
} from '@qrlogin/protocol';
import { borrowDeviceKeys, type KeySource } from './borrow-device-keys.js';
import { type BeforeSign, createSigner } from './create-signer.js';
import type { FetchLike } from './platform.js';
import { postJson } from './post-json.js';

/** The device-management methods of {@link QrLoginApp}. */
export interface DeviceManagement {
  /**
   * Every device of this device's user, revoked ones included, oldest first; this one has
   * `thisDevice: true`. Errors: `DEVICE_REVOKED`, `DEVICE_NOT_FOUND`, `TIMESTAMP_SKEW`,
   * `RATE_LIMITED`, `NETWORK_ERROR`.
   */
  listDevices(): Promise<DeviceSummary[]>;
  /**
   * Renames one of the user's devices (this one included) and returns it as listed. The label
   * follows `DEVICE_LABEL_RULE` and may not be only spaces (`TypeError` before any call, as in
   * `registerDevice`). Another user's device, or none, is `DEVICE_NOT_FOUND`; a revoked one `DEVICE_REVOKED`.
   */
  renameDevice(deviceId: string, label: string): Promise<DeviceSummary>;
  /**
   * Revokes one of the user's devices — a lost phone, from the one in hand. For this device's own
   * id it is {@link QrLoginApp.revoke} (which also deletes the seed from the key store).
   * Idempotent; another user's device, or none, is `DEVICE_NOT_FOUND`.
   */
  revokeDevice(deviceId: string): Promise<void>;
}

/** What the methods need from the app client. */
export interface DeviceManagementContext {
  href: string;
  audience: string;
  deviceId: string;
  source: KeySource;
  beforeSign: BeforeSign | undefined;
  fetch: FetchLike | undefined;
  now: () => number;
  revokeSelf: () => Promise<void>;
}

/**
 * Builds the device-management methods for one app client.
 *
 * @example
 * const app = createQrLoginApp({ baseUrl, deviceId, keyStore });
 * const devices = await app.listDevices();
 * await app.renameDevice(devices[0].id, 'Old phone');
 */
export function manageDevices(context: DeviceManagementContext): DeviceManagement {
  const { href, audience, deviceId, source, beforeSign, fetch, now } = context;

  /** Signs one call with a key borrowed for it alone, then posts it. */
  const call = async (
    path: string,
    fields: Pick<SignedFields, 'action' | 'ref' | 'text'>,
    extra: Partial<RenameDeviceBody> = {},
  ): Promise<unknown> => {
    const borrowed = await borrowDeviceKeys(source);
    try {
      const timestamp = Math.floor(now());
      const signature = await createSigner(borrowed, beforeSign)({ ...fields, audience, deviceId, timestamp });
      const body: SignedDeviceCallBody = { deviceId, ...extra, timestamp, signature };
      return await postJson(href + path, body, { fetch });
    } finally {
      borrowed.release();
    }
  };

  const target = (id: unknown): string => {
    if (!isDeviceId(id)) throw new TypeError('deviceId must be a device id from listDevices()');
    return id;
  };

  return {
    async listDevices() {
      return ((await call(APP_ROUTES.listDevices, { action: 'list-devices' })) as DeviceListResponse).devices;
    },
    async renameDevice(id, label) {
      if (!isDeviceLabel(label) || label.trim() === '')
        throw new TypeError(`label must be ${DEVICE_LABEL_RULE}, not only spaces`);
      const ref = target(id);
      return (await call(
        APP_ROUTES.renameDevice(ref),
        { action: 'rename-device', ref, text: label },
        { label },
      )) as DeviceSummary;
    },
    async revokeDevice(id) {
      const ref = target(id);
      if (ref === deviceId) return context.revokeSelf();
      await call(APP_ROUTES.revokeUserDevice(ref), { action: 'revoke-device', ref });
    },
  };
}
