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
} from '@qrlogin/protocol';
import { type CallFields, type SignedCallContext, signedCall } from './signed-call.js';

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
export interface DeviceManagementContext extends SignedCallContext {
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
  const { deviceId } = context;
  const call = (path: string, fields: CallFields, extra: Partial<RenameDeviceBody> = {}) =>
    signedCall(context, path, fields, extra);

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
