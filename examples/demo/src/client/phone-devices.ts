/**
 * The phone simulator's "Devices" list: every device of the signed-in user, with Rename and Revoke,
 * through `app.listDevices()`, `app.renameDevice()` and `app.revokeDevice()` (each call signed by
 * this phone's key). Builds its own elements, so the page skeleton stays as it is.
 */
import type { DeviceSummary, QrLoginApp } from '@qrlogin/app';
import { describeError } from './describe-error.js';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

const time = (ms: number) => new Date(ms).toLocaleString();

/**
 * Appends the panel to `parent` and fills it; `getApp` is read at every action, since the phone may
 * re-register (a new device id) after a demo restart.
 *
 * @example
 * const devices = mountDevicesPanel(() => app, document.querySelector('main') as HTMLElement);
 * await devices.refresh();
 */
export function mountDevicesPanel(
  getApp: () => QrLoginApp | undefined,
  parent: HTMLElement,
): { refresh(): Promise<void> } {
  const list = element('ul', { className: 'devices-list' });
  const status = element('p', { className: 'device-status', id: 'devices-status' });
  status.setAttribute('role', 'status');
  const refreshButton = element(
    'button',
    { type: 'button', className: 'button secondary', id: 'devices-refresh' },
    'Refresh',
  );
  const section = element(
    'section',
    { className: 'devices-panel', id: 'devices-panel' },
    element('h2', {}, 'Devices'),
    list,
    status,
    refreshButton,
  );
  parent.append(section);

  const run = async (what: (app: QrLoginApp) => Promise<unknown>, done?: string): Promise<void> => {
    const app = getApp();
    if (!app) return;
    try {
      await what(app);
      if (done) status.textContent = done;
      await refresh();
    } catch (error) {
      status.textContent = describeError(error);
    }
  };

  const row = (device: DeviceSummary): HTMLLIElement => {
    const label = element('input', { value: device.label, maxLength: 64, disabled: device.revokedAt !== undefined });
    label.setAttribute('aria-label', 'Device name');
    const rename = element(
      'button',
      { type: 'submit', className: 'button secondary', disabled: label.disabled },
      'Rename',
    );
    const revoke = element(
      'button',
      { type: 'button', className: 'button secondary', disabled: label.disabled },
      'Revoke',
    );
    const form = element('form', { className: 'device-rename' }, label, rename, revoke);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run((app) => app.renameDevice(device.id, label.value), `Renamed to “${label.value}”.`);
    });
    revoke.addEventListener('click', () => {
      const which = device.thisDevice ? 'this phone' : `“${device.label}”`;
      void run((app) => app.revokeDevice(device.id), `Revoked ${which}.`);
    });
    const facts = [
      device.thisDevice ? 'This phone' : '',
      `added ${time(device.createdAt)}`,
      device.lastUsedAt !== undefined ? `last used ${time(device.lastUsedAt)}` : 'never used',
      device.revokedAt !== undefined ? `revoked ${time(device.revokedAt)}` : '',
    ].filter(Boolean);
    const item = element('li', { className: 'device' }, form, element('small', {}, facts.join(' · ')));
    item.dataset.deviceId = device.id;
    if (device.revokedAt !== undefined) item.dataset.revoked = '';
    return item;
  };

  async function refresh(): Promise<void> {
    const app = getApp();
    if (!app) return;
    try {
      list.replaceChildren(...(await app.listDevices()).map(row));
    } catch (error) {
      // This phone revoked itself (or the demo forgot it): the list is no longer its to read.
      list.replaceChildren();
      status.textContent = describeError(error);
    }
  }

  refreshButton.addEventListener('click', () => void refresh());
  return { refresh };
}
