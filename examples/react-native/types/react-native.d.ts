/**
 * Minimal ambient types for the parts of `react-native` this example uses, so it type-checks
 * without installing React Native (hundreds of MB). In a real app, delete this file: the
 * `react-native` package ships its own, complete types, which these are a strict subset of.
 */
declare module 'react-native' {
  import type { ReactNode } from 'react';

  type StyleValue = string | number | undefined | ReadonlyArray<Record<string, string | number>>;
  export type Style = { readonly [property: string]: StyleValue };
  export type StyleProp = Style | ReadonlyArray<Style | false | null | undefined> | false | null | undefined;

  export interface ViewProps {
    style?: StyleProp;
    children?: ReactNode;
    accessibilityRole?: 'button' | 'header' | 'text' | 'alert' | 'none';
    accessibilityLabel?: string;
    testID?: string;
  }
  export function View(props: ViewProps): ReactNode;
  export function SafeAreaView(props: ViewProps): ReactNode;
  export function ScrollView(props: ViewProps & { contentContainerStyle?: StyleProp }): ReactNode;

  export interface TextProps extends ViewProps {
    numberOfLines?: number;
    selectable?: boolean;
  }
  export function Text(props: TextProps): ReactNode;

  export interface PressableProps extends ViewProps {
    onPress?: () => void;
    disabled?: boolean;
  }
  export function Pressable(props: PressableProps): ReactNode;

  export interface TextInputProps extends ViewProps {
    value?: string;
    onChangeText?: (text: string) => void;
    keyboardType?: 'default' | 'number-pad';
    maxLength?: number;
    autoFocus?: boolean;
    placeholder?: string;
  }
  export function TextInput(props: TextInputProps): ReactNode;

  export function ActivityIndicator(props: ViewProps & { size?: 'small' | 'large' }): ReactNode;

  export const StyleSheet: {
    create<T extends { [name: string]: Style }>(styles: T): T;
    readonly absoluteFill: Style;
  };
}
