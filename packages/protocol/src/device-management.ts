/**
 * Wire types of device management: a user's devices listed, renamed and revoked, from the phone
 * (signed by one of the user's active devices, actions `list-devices`, `rename-device`,
 * `revoke-device`) or from the host's web side (the host's own session, same-origin only).
 */

/**
 * One device as the list shows it: no public key, no user id (the list is always one user's).
 *
 * @example
 * const summary: DeviceSummary = { id, label: 'Ana’s iPhone', createdAt, thisDevice: true };
 */
export interface DeviceSummary {
  id: string;
  /** The label, in the format of `isDeviceLabel` (`DEVICE_LABEL_RULE`). */
  label: string;
  /** When it was registered (ms since the epoch). */
  createdAt: number;
  /** Last scan or confirm, to within a minute (best-effort; absent when never used). */
  lastUsedAt?: number;
  /** When it was revoked; absent while it is active. */
  revokedAt?: number;
  /** `true` for the device that signed the list request; always `false` on the web side. */
  thisDevice: boolean;
}

/**
 * `POST {base}/devices/list` (signed) and `GET {base}/devices` (web) response: every device of the
 * user, revoked ones included, oldest first.
 *
 * @example
 * const { devices }: DeviceListResponse = await response.json();
 */
export interface DeviceListResponse {
  devices: DeviceSummary[];
}

/**
 * Body of the signed calls `POST {base}/devices/list` (action `list-devices`) and
 * `POST {base}/devices/:id/revoke-device` (action `revoke-device`, `ref` = the path's id):
 * `deviceId` is the signing device, not the one acted on.
 *
 * @example
 * const body: SignedDeviceCallBody = { deviceId, timestamp, signature };
 */
export interface SignedDeviceCallBody {
  deviceId: string;
  timestamp: number;
  signature: string;
}

/**
 * Body of `POST {base}/devices/:id/rename` (action `rename-device`: `ref` = the path's id,
 * `text` = the new label).
 *
 * @example
 * const body: RenameDeviceBody = { deviceId, label: 'Work phone', timestamp, signature };
 */
export interface RenameDeviceBody extends SignedDeviceCallBody {
  label: string;
}
