/**
 * What to tell the user when a login step fails, in the languages the React entry ships: one short
 * sentence per outcome the user can act on, keyed by the stable `QrLoginError` codes.
 */
import type { ErrorCode } from '@qrlogin/protocol';

/** Languages {@link errorText} speaks. */
export type QrLoginLocale = 'en' | 'zh' | 'ja';

/** Not a `QrLoginError`: the gate (`beforeSign`, a biometric prompt) refused, or something unknown. */
export type ErrorTextKey = ErrorCode | 'NOT_CONFIRMED';

type Texts = Record<QrLoginLocale, string>;

const FOREIGN: Texts = {
  en: 'This code is not for this app.',
  zh: '此二维码不属于本应用。',
  ja: 'このコードはこのアプリ用ではありません。',
};
const STALE: Texts = {
  en: 'This code has expired. Refresh the page and scan again.',
  zh: '二维码已过期，请刷新页面后重新扫描。',
  ja: 'コードの有効期限が切れました。ページを更新してもう一度スキャンしてください。',
};
const SET_UP_AGAIN: Texts = {
  en: 'This phone is no longer set up for QR sign-in. Set it up again.',
  zh: '此手机已无法使用扫码登录，请重新设置。',
  ja: 'この端末はQRサインインに使えなくなりました。もう一度設定してください。',
};
const GENERIC: Texts = {
  en: 'Something went wrong. Try again.',
  zh: '出现问题，请重试。',
  ja: '問題が発生しました。もう一度お試しください。',
};

const TEXTS: Partial<Record<ErrorTextKey, Texts>> = {
  FOREIGN_QR: FOREIGN,
  INVALID_QR: {
    en: 'This is not a sign-in code.',
    zh: '这不是登录二维码。',
    ja: 'これはサインイン用のコードではありません。',
  },
  SESSION_EXPIRED: STALE,
  SESSION_NOT_FOUND: STALE,
  ALREADY_SCANNED: {
    en: 'Another phone already scanned this code.',
    zh: '另一台手机已扫描此二维码。',
    ja: 'このコードは別の端末ですでにスキャンされています。',
  },
  INVALID_STATE: {
    en: 'This sign-in has already been answered.',
    zh: '此登录请求已处理。',
    ja: 'このサインインにはすでに応答済みです。',
  },
  CODE_REQUIRED: {
    en: 'Type the number shown on the computer.',
    zh: '请输入电脑上显示的数字。',
    ja: 'パソコンに表示されている数字を入力してください。',
  },
  CODE_MISMATCH: {
    en: 'The number did not match; the sign-in was cancelled.',
    zh: '数字不匹配，登录已取消。',
    ja: '数字が一致しなかったため、サインインは取り消されました。',
  },
  DEVICE_REVOKED: SET_UP_AGAIN,
  DEVICE_NOT_FOUND: SET_UP_AGAIN,
  PROXIMITY_DENIED: {
    en: 'Your phone must be near the computer.',
    zh: '手机必须在电脑附近。',
    ja: '端末をパソコンの近くに置いてください。',
  },
  TIMESTAMP_SKEW: {
    en: "Set your phone's clock to automatic.",
    zh: '请将手机时间设置为自动。',
    ja: '端末の時刻を自動設定にしてください。',
  },
  RATE_LIMITED: {
    en: 'Too many attempts. Wait a minute.',
    zh: '尝试次数过多，请稍候。',
    ja: '試行回数が多すぎます。しばらくお待ちください。',
  },
  NETWORK_ERROR: {
    en: 'No connection to the server. Check your connection.',
    zh: '无法连接服务器，请检查网络。',
    ja: 'サーバーに接続できません。通信環境を確認してください。',
  },
  UNAUTHENTICATED: {
    en: 'Sign in to the app first.',
    zh: '请先登录应用。',
    ja: '先にアプリにサインインしてください。',
  },
  NO_SECURE_RANDOM: GENERIC,
  CONTEXT_MISMATCH: {
    en: 'What this phone was shown is not what the site sent. Nothing was signed in; scan again on a network you trust.',
    zh: '此手机显示的信息与网站发送的不一致，未登录。请在可信网络下重新扫描。',
    ja: 'この端末に表示された内容はサイトが送った内容と異なります。サインインはされていません。信頼できるネットワークでもう一度スキャンしてください。',
  },
  NOT_CONFIRMED: {
    en: 'Sign-in was not confirmed.',
    zh: '登录未确认。',
    ja: 'サインインは確認されませんでした。',
  },
};

/**
 * The user-facing sentence for an error code in `locale` (a generic "try again" for codes a user
 * cannot act on, such as `INTERNAL_ERROR`).
 *
 * @example
 * errorText('ALREADY_SCANNED', 'ja') // 'このコードは別の端末ですでにスキャンされています。'
 */
export function errorText(code: ErrorTextKey, locale: QrLoginLocale = 'en'): string {
  return (TEXTS[code] ?? GENERIC)[locale] ?? GENERIC.en;
}
