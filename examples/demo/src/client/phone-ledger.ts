/**
 * "Where you're signed in" on the phone simulator: the logins this user's QR approvals created,
 * from the signed `app.listLogins()`, with End and "This wasn't me" per active login and "End all".
 * Refreshed every few seconds and after every action, so a browser that just redeemed shows up.
 * Items are built from text nodes only (the requester context comes from the network).
 */
import type { LoginView, QrLoginApp } from '@qrlogin/app';
import { describeError } from './describe-error.js';

const REFRESH_MS = 3000;

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the phone page has no <${type.name}> #${id}`);
  return element;
};

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

const ENDED_BY: Record<string, string> = {
  user: 'ended from a phone',
  all: 'ended with "End all"',
  report: 'ended: reported as not you',
  host: 'signed out by the site',
  'device-revoked': 'ended: the approving phone was removed',
};

function describe(login: LoginView): string {
  const { browser, os, ip, place } = login.requester;
  const who = `${browser || 'Unknown browser'} on ${os || 'an unknown system'}`;
  return [who, ip, place].filter(Boolean).join(' · ');
}

function button(text: string, action: string, id: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'button secondary';
  element.textContent = text;
  element.dataset.action = action;
  element.dataset.loginId = id;
  return element;
}

function item(login: LoginView): HTMLLIElement {
  const li = document.createElement('li');
  li.dataset.loginId = login.id;
  li.dataset.state = login.endedAt === undefined ? 'active' : 'ended';
  const title = document.createElement('strong');
  title.textContent = describe(login);
  const when = document.createElement('span');
  when.className = 'login-when';
  when.textContent =
    login.endedAt === undefined
      ? `Signed in at ${clock(login.createdAt)}${login.thisDevice ? ', approved on this phone' : ''}`
      : `Signed in at ${clock(login.createdAt)}, ${ENDED_BY[login.endReason ?? ''] ?? 'ended'} at ${clock(login.endedAt)}`;
  li.append(title, when);
  if (login.endedAt === undefined) {
    const actions = document.createElement('div');
    actions.className = 'login-actions';
    actions.append(button('End', 'end', login.id), button("This wasn't me", 'report', login.id));
    li.append(actions);
  }
  return li;
}

/**
 * Wires the "Where you're signed in" section to `app()` (the registered device, once set up).
 * Returns `refresh()`, for the page to call after a Confirm.
 *
 * @example
 * const ledger = phoneLedger(() => app);
 * await ledger.refresh();
 */
export function phoneLedger(app: () => QrLoginApp | undefined): { refresh(): Promise<void> } {
  const status = byId('logins-status', HTMLElement);
  const list = byId('login-list', HTMLUListElement);
  const endAll = byId('end-all', HTMLButtonElement);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // What the last action did, kept in front of the count until the next action.
  let notice = '';

  const refresh = async (): Promise<void> => {
    clearTimeout(timer);
    const current = app();
    if (current) {
      try {
        const logins = await current.listLogins();
        list.replaceChildren(...logins.map(item));
        const active = logins.filter((login) => login.endedAt === undefined).length;
        const count =
          logins.length === 0
            ? 'No browser has been signed in with this account by QR yet.'
            : `${active} active sign-in${active === 1 ? '' : 's'}.`;
        status.textContent = notice ? `${notice} ${count}` : count;
        endAll.hidden = active === 0;
      } catch (error) {
        status.textContent = describeError(error);
      }
    }
    timer = setTimeout(() => void refresh(), REFRESH_MS);
  };

  const act = async (run: (current: QrLoginApp) => Promise<unknown>, done: string) => {
    const current = app();
    if (!current) return;
    try {
      await run(current);
      notice = done;
    } catch (error) {
      notice = describeError(error);
    }
    await refresh();
  };

  list.addEventListener('click', (event) => {
    const target = event.target instanceof HTMLButtonElement ? event.target : null;
    const id = target?.dataset.loginId;
    if (!target || !id) return;
    target.disabled = true;
    if (target.dataset.action === 'end') void act((current) => current.endLogin(id), 'Signed that browser out.');
    if (target.dataset.action === 'report') {
      void act(
        (current) => current.reportLogin(id),
        'Reported. Every sign-in this phone approved recently was ended, and new scans are paused for a while.',
      );
    }
  });
  endAll.addEventListener('click', () => {
    endAll.disabled = true;
    void act((current) => current.endAllLogins(), 'Signed every browser out.').finally(() => {
      endAll.disabled = false;
    });
  });
  return { refresh };
}
