/**
 * The phone simulator: plays the host's mobile app with `@qrlogin/app` in the browser. The user is
 * "signed in to the app" by the demo's app cookie; the device key lives in `localStorage` and is
 * registered on the first visit. A code comes in by camera (where supported), by pasting its link,
 * or as `/phone?qr=<link>`; the confirm screen shows who is asking, and the user confirms or rejects.
 */
import { isQrLoginError, type LoginRequest, type QrLoginApp } from '@qrlogin/app';
import { cameraSupported, readQrFromCamera } from './camera-scanner.js';
import { setUpDevice } from './demo-device.js';
import { describeError } from './describe-error.js';
import { localStorageKeyStore } from './local-storage-key-store.js';
import { phoneElements } from './page-elements.js';
import { phoneAccounts } from './phone-accounts.js';
import { mountDevicesPanel } from './phone-devices.js';
import { phoneLedger } from './phone-ledger.js';
import { watchPrompts } from './phone-prompts.js';
import { showLoginRequest } from './show-login-request.js';

const ui = phoneElements();
const deviceOptions = {
  baseUrl: `${location.origin}/qrlogin`,
  keyStore: localStorageKeyStore(localStorage),
  storage: localStorage,
  label: 'Phone simulator',
  // The page names the app user the demo's cookie signs in (what authenticate() returns for it).
  userId: document.getElementById('app-user')?.textContent ?? '',
};

let app: QrLoginApp | undefined;
let request: LoginRequest | undefined;
let stopCountdown = () => {};
let camera: AbortController | undefined;
const ledger = phoneLedger(() => app);

type Screen = keyof typeof ui.screens;

function show(screen: Screen): void {
  for (const [name, element] of Object.entries(ui.screens)) element.hidden = name !== screen;
  document.body.dataset.screen = screen;
}

const accounts = phoneAccounts(ui, show);

function finish(outcome: 'confirmed' | 'rejected' | 'error', text: string): void {
  stopCountdown();
  request = undefined;
  ui.result.textContent = text;
  ui.result.dataset.outcome = outcome;
  show('result');
  void devicesPanel.refresh();
}

async function setUp(fresh: boolean): Promise<QrLoginApp> {
  const result = await setUpDevice({ ...deviceOptions, fresh });
  ui.deviceStatus.textContent = result.registered
    ? `New device key generated and registered (device ${result.app.deviceId}).`
    : `Device ${result.app.deviceId} — key kept in this browser's local storage.`;
  return result.app;
}

// `open` finds the request: the scanned link by default, or a typed short code ("Enter code").
async function scan(text: string, open?: (a: QrLoginApp) => Promise<LoginRequest>): Promise<void> {
  if (!app) return;
  ui.qrText.value = '';
  try {
    if (open) request = await open(app);
    else {
      if (app.parse(text.trim()).kind === 'link') {
        return finish('confirmed', `Linked: this phone can now sign in as ${await accounts.link(text.trim())}.`);
      }
      const user = document.getElementById('app-user')?.textContent ?? '';
      request = await (await accounts.choose({ name: user, app }, text)).scan(text.trim());
    }
  } catch (error) {
    // The demo keeps devices in memory: after a restart the server no longer knows this one.
    if (isQrLoginError(error) && (error.code === 'DEVICE_NOT_FOUND' || error.code === 'DEVICE_REVOKED')) {
      try {
        app = await setUp(true);
        request = await (open ?? ((a: QrLoginApp) => a.scan(text.trim())))(app);
      } catch (again) {
        return finish('error', describeError(again));
      }
    } else {
      return finish('error', describeError(error));
    }
  }
  stopCountdown = showLoginRequest(ui, request);
  show('confirm');
  (request.codeRequired ? ui.codeInput : ui.confirm).focus();
}

async function decide(action: 'confirm' | 'reject' | 'report'): Promise<void> {
  const current = request;
  if (!current) return;
  ui.confirm.disabled = true;
  ui.reject.disabled = true;
  ui.report.disabled = true;
  try {
    if (action === 'confirm') {
      await current.confirm({ code: ui.codeInput.value });
      finish('confirmed', 'Confirmed. The computer is signing you in.');
      void ledger.refresh();
    } else if (action === 'report') {
      await current.report();
      finish('rejected', 'Reported. Nobody was signed in, and new scans are paused for a while.');
      void ledger.refresh();
    } else {
      await current.reject();
      finish('rejected', 'Rejected. Nobody was signed in.');
    }
  } catch (error) {
    // A missing code is the user's to fix on the same screen; anything else ends this request.
    if (isQrLoginError(error) && error.code === 'CODE_REQUIRED') {
      ui.countdown.textContent = describeError(error);
      ui.confirm.disabled = false;
      ui.reject.disabled = false;
      ui.report.disabled = false;
      ui.codeInput.focus();
      return;
    }
    finish('error', describeError(error));
  }
}

ui.pasteForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void scan(ui.qrText.value);
});
ui.codeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const typed = ui.shortCode.value;
  ui.shortCode.value = '';
  void scan('', (a) => a.findByCode(typed));
});
ui.decisionForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void decide('confirm');
});
ui.reject.addEventListener('click', () => void decide('reject'));
ui.report.addEventListener('click', () => void decide('report'));
ui.scanAgain.addEventListener('click', () => show('scan'));
ui.addAccount.addEventListener('click', async () => {
  ui.deviceStatus.textContent = await accounts.addSecondUser().catch(describeError);
});

ui.cameraStart.hidden = !cameraSupported();
ui.cameraStart.addEventListener('click', () => {
  camera?.abort();
  const controller = new AbortController();
  camera = controller;
  ui.cameraView.hidden = false;
  ui.cameraStop.hidden = false;
  readQrFromCamera(ui.cameraView, controller.signal)
    .then(scan, (error: unknown) => {
      if (!controller.signal.aborted) ui.deviceStatus.textContent = `The camera is not available: ${String(error)}`;
    })
    .finally(() => {
      ui.cameraView.hidden = true;
      ui.cameraStop.hidden = true;
    });
});
ui.cameraStop.addEventListener('click', () => camera?.abort());

const devicesPanel = mountDevicesPanel(() => app, document.querySelector('main') as HTMLElement);

try {
  app = await setUp(false);
  void devicesPanel.refresh();
  show('scan');
  // A prompt from a linked browser lands on the same confirm screen as a scan.
  watchPrompts((qrPayload) => void scan(qrPayload));
  void ledger.refresh();
  // Opening `/phone?qr=<link>` scans that link, like an app opened from the QR's own URL.
  const opened = new URLSearchParams(location.search).get('qr');
  if (opened) {
    // A reload must not scan again (the session is locked to this device after the first scan).
    history.replaceState(null, '', location.pathname);
    await scan(opened);
  }
} catch (error) {
  ui.deviceStatus.textContent = `Could not set up this phone: ${describeError(error)}`;
}
