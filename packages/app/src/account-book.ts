/**
 * Several accounts on one phone: keys for several users and sites, each with its own seed under
 * its own {@link KeyStore} entry, and the account list (origin, base URL, user, device, label) in
 * plain app storage. A QR code names its site; when more than one account of that site is on the
 * phone, the app asks which one ({@link AccountBook.forQr} makes the choice explicit).
 */
import { encodeBase64Url, parseQrPayload, QrLoginError } from '@qrlogin/protocol';
import { createQrLoginApp, type QrLoginApp, type QrLoginAppOptions } from './create-qr-login-app.js';
import { type DeviceKeys, generateDeviceKeys } from './device-keys.js';
import type { KeyStore } from './key-store.js';
import { type LinkDeviceOptions, linkDevice } from './link-device.js';
import type { Awaitable } from './platform.js';
import { type RegisterDeviceOptions, registerDevice } from './register-device.js';
import { resolveBaseUrl } from './resolve-base-url.js';
import { resolveRandomBytes } from './rng.js';

/** One account on the phone. Holds no secret: the seed is in the account's own key store entry. */
export interface Account {
  /** Local id; also names the account's key store entry. */
  id: string;
  /** e.g. `https://example.com` */
  origin: string;
  /** e.g. `https://example.com/qrlogin` */
  baseUrl: string;
  userId: string;
  deviceId: string;
  /** The device's label on the server. */
  label: string;
  /** What the phone shows for the account when asking which one, e.g. `ana@example.com`. @default userId */
  name: string;
}

/** Plain string storage for the account list (React Native AsyncStorage has this shape). */
export interface AccountStorage {
  getItem(key: string): Awaitable<string | null>;
  setItem(key: string, value: string): Awaitable<void>;
}

/** Options of {@link createAccountBook}. */
export interface AccountBookOptions {
  /** Where the account list is kept (not secret). */
  storage: AccountStorage;
  /**
   * The key store of one account, by its id: one secure-storage entry per account, e.g.
   * `(id) => expoSecureStoreKeyStore(SecureStore, { key: \`qrlogin.seed.${id}\` })`.
   */
  keyStore: (accountId: string) => KeyStore;
  /** The storage key of the list. @default 'qrlogin.accounts' */
  storageKey?: string;
  /** Passed to every {@link QrLoginApp}, registration and link. @default undefined */
  app?: Pick<QrLoginAppOptions, 'fetch' | 'now' | 'beforeSign'>;
}

/** The phone's accounts; see {@link createAccountBook}. */
export interface AccountBook {
  /** Every account, in the order they were added. */
  list(): Promise<Account[]>;
  /** Keeps an account whose key is already registered; its seed goes into the account's own entry. */
  add(input: Omit<Account, 'id' | 'origin' | 'name'> & { keys: DeviceKeys; name?: string }): Promise<Account>;
  /** Makes a key, registers it while signed in to the host ({@link registerDevice}) and keeps the account. */
  register(options: Omit<RegisterDeviceOptions, 'keys'> & { name?: string }): Promise<Account>;
  /** Makes a key, links it by a signed-in browser's QR ({@link linkDevice}) and keeps the account. */
  link(options: Omit<LinkDeviceOptions, 'keys' | 'keyStore'> & { name?: string }): Promise<Account>;
  /** Forgets an account and deletes its seed (revoke it on the server first: `book.app(a).revoke()`). */
  remove(id: string): Promise<void>;
  /**
   * The accounts a login QR is for (same origin and base path), without a network call. Several:
   * ask the user which one; none: `[]`. Throws `INVALID_QR` for text that is not a qrlogin code.
   */
  forQr(qrText: string): Promise<Account[]>;
  /** The phone-side client of one account, signing with its own key. */
  app(account: Account): QrLoginApp;
}

/**
 * Creates the phone's account book.
 *
 * @example
 * import AsyncStorage from '@react-native-async-storage/async-storage';
 * const book = createAccountBook({
 *   storage: AsyncStorage,
 *   keyStore: (id) => expoSecureStoreKeyStore(SecureStore, { key: `qrlogin.seed.${id}` }),
 * });
 * const accounts = await book.forQr(scannedText);
 * const account = accounts.length === 1 ? accounts[0] : await askWhichAccount(accounts);
 * const request = await book.app(account).scan(scannedText);
 */
export function createAccountBook(options: AccountBookOptions): AccountBook {
  const { storage, keyStore } = options;
  if (typeof storage?.getItem !== 'function' || typeof storage.setItem !== 'function') {
    throw new TypeError('storage must have getItem and setItem');
  }
  if (typeof keyStore !== 'function') throw new TypeError('keyStore must be a function (accountId) => KeyStore');
  const storageKey = options.storageKey ?? 'qrlogin.accounts';
  const shared = options.app ?? {};
  // One write at a time: two adds racing on read-modify-write would drop one account.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => {});
    return run;
  };
  const read = async (): Promise<Account[]> => {
    const text = await storage.getItem(storageKey);
    const parsed: unknown = text ? JSON.parse(text) : [];
    if (!Array.isArray(parsed)) throw new TypeError(`the account list in "${storageKey}" is not an array`);
    return parsed as Account[];
  };
  const write = (accounts: Account[]) => storage.setItem(storageKey, JSON.stringify(accounts));

  /** Stores a new key under a fresh id, runs `bind` with it, and keeps the account once bound. */
  const keep = async (
    baseUrl: string,
    name: string | undefined,
    bind: (keys: DeviceKeys) => Promise<{ userId: string; deviceId: string; label: string }>,
    existingKeys?: DeviceKeys,
  ): Promise<Account> => {
    const { origin, href } = resolveBaseUrl(baseUrl);
    const keys = existingKeys ?? generateDeviceKeys();
    // The id names a secure-storage entry: base64url of random bytes fits every adapter's key rule.
    const id = encodeBase64Url(resolveRandomBytes()(12));
    const store = keyStore(id);
    await store.setSeed(keys.seed);
    try {
      const bound = await bind(keys);
      const { userId, deviceId, label } = bound;
      const account: Account = { id, origin, baseUrl: href, userId, deviceId, label, name: name ?? userId };
      await serial(async () => write([...(await read()), account]));
      return account;
    } catch (error) {
      await store.deleteSeed();
      throw error;
    }
  };

  const book: AccountBook = {
    list: () => serial(read),
    add: ({ keys, name, ...account }) => keep(account.baseUrl, name, async () => account, keys),
    register: ({ name, ...register }) =>
      keep(register.baseUrl, name, async (keys) => {
        const { deviceId } = await registerDevice({ ...shared, ...register, keys });
        return { userId: register.userId, deviceId, label: register.label };
      }),
    link: ({ name, ...link }) =>
      keep(link.baseUrl, name, async (keys) => {
        const { deviceId, userId } = await linkDevice({ ...shared, ...link, keys });
        return { userId, deviceId, label: link.label };
      }),
    async remove(id: string): Promise<void> {
      await serial(async () => write((await read()).filter((account) => account.id !== id)));
      await keyStore(id).deleteSeed();
    },
    async forQr(qrText: string): Promise<Account[]> {
      const { origin, basePath, kind } = parseQrPayload(qrText);
      if (kind !== 'login') throw new QrLoginError('INVALID_QR', 'this code links a new phone: use book.link()');
      return (await serial(read)).filter((account) => account.baseUrl === origin + basePath);
    },
    app: (account: Account) =>
      createQrLoginApp({
        ...shared,
        baseUrl: account.baseUrl,
        deviceId: account.deviceId,
        keyStore: keyStore(account.id),
      }),
  };
  return Object.freeze(book);
}
