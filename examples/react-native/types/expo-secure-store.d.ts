/**
 * Minimal ambient types for `expo-secure-store`, a subset of the types the package ships.
 * Delete in a real app.
 */
declare module 'expo-secure-store' {
  export type KeychainAccessibilityConstant = number;
  /** The item is readable only while the device is unlocked, and never leaves it in a backup. */
  export const WHEN_UNLOCKED_THIS_DEVICE_ONLY: KeychainAccessibilityConstant;
  export const AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY: KeychainAccessibilityConstant;

  export interface SecureStoreOptions {
    keychainService?: string;
    keychainAccessible?: KeychainAccessibilityConstant;
    requireAuthentication?: boolean;
    authenticationPrompt?: string;
  }
  export function getItemAsync(key: string, options?: SecureStoreOptions): Promise<string | null>;
  export function setItemAsync(key: string, value: string, options?: SecureStoreOptions): Promise<void>;
  export function deleteItemAsync(key: string, options?: SecureStoreOptions): Promise<void>;
}
