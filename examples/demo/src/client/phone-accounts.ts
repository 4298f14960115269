/**
 * The phone simulator's further accounts, on `@qrlogin/app`'s account book (kept in
 * `localStorage`, one seed entry per account): a second demo user, phones linked from a signed-in
 * page, and the "which account?" question when a code matches more than one.
 */
import { type Account, createAccountBook, type QrLoginApp } from '@qrlogin/app';
import { localStorageKeyStore } from './local-storage-key-store.js';
import type { PhoneElements } from './page-elements.js';

const SECOND_USER = 'ben@example.com';

/** One account the phone can sign in with. */
export interface PhoneAccount {
  name: string;
  app: QrLoginApp;
}

/**
 * The account book and what the phone page does with it.
 *
 * @example
 * const accounts = phoneAccounts(ui, show);
 * const app = await accounts.choose({ name: user, app: primary }, qrText);
 */
export function phoneAccounts(ui: PhoneElements, show: (screen: 'accounts' | 'link') => void) {
  const baseUrl = `${location.origin}/qrlogin`;
  const book = createAccountBook({
    storage: localStorage,
    keyStore: (id) => localStorageKeyStore(localStorage, `qrlogin-demo.seed.${id}`),
    storageKey: 'qrlogin-demo.accounts',
  });

  /** Asks which account (when there is a choice) and resolves with its app. */
  const choose = async (primary: PhoneAccount, qrText: string): Promise<QrLoginApp> => {
    const others: PhoneAccount[] = (await book.forQr(qrText)).map((account: Account) => ({
      name: `${account.name} (${account.label})`,
      app: book.app(account),
    }));
    if (others.length === 0) return primary.app;
    const choices = [primary, ...others];
    show('accounts');
    return new Promise((resolve) => {
      ui.accountList.replaceChildren(
        ...choices.map((choice) => {
          const button = document.createElement('button');
          button.type = 'button';
          button.className = 'button';
          button.textContent = choice.name;
          button.addEventListener('click', () => resolve(choice.app), { once: true });
          return button;
        }),
      );
      ui.accountList.querySelector('button')?.focus();
    });
  };

  /** Links this phone by a signed-in page's code; resolves with the linked user. */
  const link = async (qrText: string): Promise<string> => {
    const account = await book.link({
      baseUrl,
      qrText,
      label: 'Phone simulator (linked)',
      onCode: ({ code, origin }) => {
        ui.linkDigits.textContent = code;
        ui.linkSite.textContent = origin;
        show('link');
      },
    });
    return account.userId;
  };

  /** The demo's second app user: sign in to "the app" as them, register a key, sign back. */
  const addSecondUser = async (): Promise<string> => {
    if ((await book.list()).some((account) => account.userId === SECOND_USER)) return `${SECOND_USER} is already here.`;
    await fetch(`/phone?user=${encodeURIComponent(SECOND_USER)}`, { credentials: 'same-origin' });
    try {
      await book.register({ baseUrl, label: 'Phone simulator', userId: SECOND_USER, name: SECOND_USER });
    } finally {
      await fetch('/phone', { credentials: 'same-origin' });
    }
    return `Added ${SECOND_USER}: codes of this site now ask which account.`;
  };

  return { choose, link, addSecondUser };
}
