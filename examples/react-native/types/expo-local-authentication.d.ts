/**
 * Minimal ambient types for `expo-local-authentication` (the biometric / passcode prompt), a
 * subset of the types the package ships. Delete in a real app.
 */
declare module 'expo-local-authentication' {
  export interface LocalAuthenticationOptions {
    promptMessage?: string;
    cancelLabel?: string;
    disableDeviceFallback?: boolean;
  }
  export type LocalAuthenticationResult = { success: true } | { success: false; error: string; warning?: string };
  export function authenticateAsync(options?: LocalAuthenticationOptions): Promise<LocalAuthenticationResult>;
  export function hasHardwareAsync(): Promise<boolean>;
}
