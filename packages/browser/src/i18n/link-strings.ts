/**
 * Every text the `<qr-link-device>` element shows or announces, in the three built-in languages.
 * Kept apart from the `<qr-login>` tables so a login page does not carry them.
 */
import { pickLocale, type QrLoginLocale } from './resolve-strings.js';

/** The link element's texts; `{label}` is the phone's own label, inserted as text, never markup. */
export interface QrLinkStrings {
  /** Accessible name of the QR image. */
  qrLabel: string;
  loading: string;
  pending: string;
  /** A phone claimed the link: `{label}` is its label. */
  scanned: string;
  /** Label of the code input. */
  codeLabel: string;
  confirm: string;
  reject: string;
  linked: string;
  mismatch: string;
  rejected: string;
  expired: string;
  cancelled: string;
  error: string;
  refresh: string;
}

/**
 * The built-in link tables.
 *
 * @example
 * element.strings = { ...LINK_LOCALES.en, confirm: 'Add this phone' };
 */
export const LINK_LOCALES: Readonly<Record<QrLoginLocale, QrLinkStrings>> = {
  en: {
    qrLabel: 'QR code to link a new phone',
    loading: 'Preparing a code…',
    pending: 'Scan this code with the app on your new phone.',
    scanned: 'Phone “{label}” wants to sign in as you — type the code it shows.',
    codeLabel: 'Code shown on the phone',
    confirm: 'Link phone',
    reject: 'Refuse',
    linked: 'Phone linked. It can sign you in from now on.',
    mismatch: 'The code did not match. Nothing was linked.',
    rejected: 'The phone was refused.',
    expired: 'This code has expired.',
    cancelled: 'Linking was cancelled.',
    error: 'Could not reach the sign-in service.',
    refresh: 'Get a new code',
  },
  'zh-CN': {
    qrLabel: '用于关联新手机的二维码',
    loading: '正在生成二维码…',
    pending: '请用新手机上的应用扫描此二维码。',
    scanned: '手机“{label}”想以您的身份登录——请输入它显示的数字。',
    codeLabel: '手机上显示的数字',
    confirm: '关联手机',
    reject: '拒绝',
    linked: '手机已关联，今后可用它为您登录。',
    mismatch: '数字不匹配，未关联任何设备。',
    rejected: '已拒绝该手机。',
    expired: '此二维码已过期。',
    cancelled: '已取消关联。',
    error: '无法连接登录服务。',
    refresh: '获取新二维码',
  },
  ja: {
    qrLabel: '新しいスマートフォンを連携するQRコード',
    loading: 'コードを準備しています…',
    pending: '新しいスマートフォンのアプリでこのコードをスキャンしてください。',
    scanned:
      'スマートフォン「{label}」があなたとしてサインインしようとしています。表示されている番号を入力してください。',
    codeLabel: 'スマートフォンに表示された番号',
    confirm: '連携する',
    reject: '拒否',
    linked: 'スマートフォンを連携しました。今後はこの端末でサインインできます。',
    mismatch: '番号が一致しません。連携されませんでした。',
    rejected: 'このスマートフォンを拒否しました。',
    expired: 'このコードは期限切れです。',
    cancelled: '連携はキャンセルされました。',
    error: 'サインインサービスに接続できませんでした。',
    refresh: '新しいコードを表示',
  },
};

/**
 * The link texts for a language tag, with overrides on top.
 *
 * @example
 * resolveLinkStrings('ja').confirm // '連携する'
 */
export function resolveLinkStrings(lang: string | null | undefined, overrides?: Partial<QrLinkStrings>): QrLinkStrings {
  return { ...LINK_LOCALES[pickLocale(lang)], ...overrides };
}
