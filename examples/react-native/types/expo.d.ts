/**
 * Minimal ambient types for `expo` (the app entry helper) and for `react-native-get-random-values`,
 * which has no exports: importing it installs `crypto.getRandomValues`. Delete in a real app.
 */
declare module 'expo' {
  import type { ComponentType } from 'react';
  export function registerRootComponent(component: ComponentType): void;
}

declare module 'react-native-get-random-values' {}
