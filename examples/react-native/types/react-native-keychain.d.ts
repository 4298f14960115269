/**
 * Minimal ambient types for `react-native-keychain` (v10), a subset of the types the package
 * ships, for the alternative key store in src/keychain-key-store.ts. Delete in a real app.
 */
declare module 'react-native-keychain' {
  export enum ACCESSIBLE {
    WHEN_UNLOCKED_THIS_DEVICE_ONLY = 'AccessibleWhenUnlockedThisDeviceOnly',
    AFTER_FIRST_UNLOCK_THIS_DEVICE_ONLY = 'AccessibleAfterFirstUnlockThisDeviceOnly',
  }
  export enum ACCESS_CONTROL {
    BIOMETRY_CURRENT_SET = 'BiometryCurrentSet',
    USER_PRESENCE = 'UserPresence',
  }
  export type BaseOptions = { service?: string };
  export type SetOptions = BaseOptions & { accessible?: ACCESSIBLE; accessControl?: ACCESS_CONTROL };
  export type GetOptions = BaseOptions & { accessControl?: ACCESS_CONTROL; authenticationPrompt?: { title?: string } };
  export type UserCredentials = { username: string; password: string; service: string; storage: string };
  export type Result = { service: string; storage: string };
  export function getGenericPassword(options?: GetOptions): Promise<false | UserCredentials>;
  export function setGenericPassword(username: string, password: string, options?: SetOptions): Promise<false | Result>;
  export function resetGenericPassword(options?: BaseOptions): Promise<boolean>;
}
