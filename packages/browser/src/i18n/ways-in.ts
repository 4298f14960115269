/**
 * Strings of the ways in besides the camera (open in app, short code, TV layout), in a table of
 * their own: they ship in the lazily loaded part of `<qr-login>`, not in every page's bundle.
 * Override them through the element's `strings` property like the others.
 */
import { pickLocale, type QrLoginLocale } from './resolve-strings.js';

/** Texts of the open-in-app link, the "Can't scan?" button and the short code. */
export interface QrLoginWaysInStrings {
  /** The link on a phone that opens the QR URL in the app. */
  openInApp: string;
  /** The button that reveals the short code. */
  cantScan: string;
  /** Above the short code: `{app}` is the `app-name` attribute (or {@link QrLoginWaysInStrings.theApp}). */
  enterCode: string;
  /** Read by screen readers before the code, symbol by symbol: `{code}`. */
  codeSpoken: string;
  /** The app's name when the page gives none. */
  theApp: string;
}

/**
 * The built-in tables.
 *
 * @example
 * WAYS_IN_STRINGS.ja.cantScan // 'スキャンできない場合'
 */
export const WAYS_IN_STRINGS: Readonly<Record<QrLoginLocale, QrLoginWaysInStrings>> = {
  en: {
    openInApp: 'Open in app',
    cantScan: 'Can’t scan?',
    enterCode: 'On your phone: open {app} → Enter code',
    codeSpoken: 'Code: {code}',
    theApp: 'the app',
  },
  'zh-CN': {
    openInApp: '在应用中打开',
    cantScan: '无法扫描？',
    enterCode: '在手机上：打开{app} → 输入代码',
    codeSpoken: '代码：{code}',
    theApp: '应用',
  },
  ja: {
    openInApp: 'アプリで開く',
    cantScan: 'スキャンできない場合',
    enterCode: 'スマートフォンで{app}を開き →「コードを入力」',
    codeSpoken: 'コード：{code}',
    theApp: 'アプリ',
  },
};

/**
 * The ways-in strings for a language tag, with overrides on top.
 *
 * @example
 * waysInStrings('zh-Hans', {}).openInApp // '在应用中打开'
 */
export function waysInStrings(
  lang: string | null | undefined,
  overrides?: Partial<QrLoginWaysInStrings>,
): QrLoginWaysInStrings {
  return { ...WAYS_IN_STRINGS[pickLocale(lang)], ...overrides };
}
