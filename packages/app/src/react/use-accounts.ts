/**
 * The phone's accounts as React state: the list, and a scan that says when it must ask which
 * account a code is for.
 */
import { useCallback, useEffect, useState } from 'react';
import type { Account, AccountBook } from '../account-book.js';

/** What {@link useAccounts} returns. */
export interface AccountsState {
  /** The accounts, `null` until read. */
  accounts: Account[] | null;
  /** Re-reads the list (after `book.add`, `register`, `link` or `remove`). */
  refresh(): Promise<void>;
  /**
   * The accounts a scanned login code is for: one — scan with it; several — ask which one; none —
   * "no account for this site".
   */
  forQr(qrText: string): Promise<Account[]>;
}

/**
 * Reads an account book into state. Keep `book` the same object across renders.
 *
 * @example
 * const { accounts, forQr } = useAccounts(book);
 * const matches = await forQr(scanned);
 * const account = matches.length === 1 ? matches[0] : await pickAccount(matches);
 */
export function useAccounts(book: AccountBook): AccountsState {
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const refresh = useCallback(async () => setAccounts(await book.list()), [book]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const forQr = useCallback((qrText: string) => book.forQr(qrText), [book]);
  return { accounts, refresh, forQr };
}
