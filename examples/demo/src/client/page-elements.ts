/**
 * Typed access to the elements the server renders into `/phone` (see `phone-page.ts`): the
 * script looks them up once and only ever sets text, `hidden` and `disabled` on them.
 */

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the phone page has no <${type.name}> #${id}`);
  return element;
};

/**
 * Every element of the phone page the script touches.
 *
 * @example
 * const ui = phoneElements();
 * ui.deviceStatus.textContent = 'Ready';
 */
export function phoneElements() {
  return {
    deviceStatus: byId('device-status', HTMLElement),
    screens: {
      scan: byId('scan-screen', HTMLElement),
      confirm: byId('confirm-screen', HTMLElement),
      result: byId('result-screen', HTMLElement),
      accounts: byId('accounts-screen', HTMLElement),
      link: byId('link-screen', HTMLElement),
    },
    accountList: byId('account-list', HTMLElement),
    addAccount: byId('add-account', HTMLButtonElement),
    linkDigits: byId('link-digits', HTMLElement),
    linkSite: byId('link-site', HTMLElement),
    cameraStart: byId('camera-start', HTMLButtonElement),
    cameraStop: byId('camera-stop', HTMLButtonElement),
    cameraView: byId('camera-view', HTMLVideoElement),
    pasteForm: byId('paste-form', HTMLFormElement),
    qrText: byId('qr-text', HTMLInputElement),
    codeForm: byId('code-form', HTMLFormElement),
    shortCode: byId('short-code', HTMLInputElement),
    site: byId('confirm-site', HTMLElement),
    browser: byId('confirm-browser', HTMLElement),
    ip: byId('confirm-ip', HTMLElement),
    place: byId('confirm-place', HTMLElement),
    time: byId('confirm-time', HTMLElement),
    network: byId('confirm-network', HTMLElement),
    far: byId('confirm-far', HTMLElement),
    decisionForm: byId('decision-form', HTMLFormElement),
    codeField: byId('code-field', HTMLElement),
    codeInput: byId('code-input', HTMLInputElement),
    countdown: byId('confirm-countdown', HTMLElement),
    confirm: byId('confirm', HTMLButtonElement),
    reject: byId('reject', HTMLButtonElement),
    report: byId('report', HTMLButtonElement),
    result: byId('result', HTMLElement),
    scanAgain: byId('scan-again', HTMLButtonElement),
  };
}

/** The elements of the phone page. */
export type PhoneElements = ReturnType<typeof phoneElements>;
