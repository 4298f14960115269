import type { QrLoginStrings } from './strings.js';

/**
 * Japanese strings, chosen for `lang="ja"` and `ja-*`.
 *
 * @example
 * ja.refresh // '新しいコードを表示'
 */
export const ja: QrLoginStrings = {
  qrLabel: 'アプリでスキャンしてログインするためのQRコード',
  loading: 'ログイン用のコードを準備しています…',
  pending: 'アプリでこのコードをスキャンしてログインしてください。',
  scanned: 'スキャンしました。スマートフォンで確認してください。',
  scannedCode: 'スキャンしました。スマートフォンで {code} を入力して確認してください。',
  confirmed: '確認しました。ログインしています…',
  signedIn: 'ログインしました。',
  rejected: 'スマートフォンでログインが拒否されました。',
  expired: 'このコードは有効期限が切れました。',
  cancelled: 'ログインはキャンセルされました。',
  error: 'ログインサービスに接続できません。',
  misconfigured: 'このサイトのログイン設定に誤りがあります。',
  redeemFailed: 'ログインを完了できませんでした。',
  countdown: '残り {time}',
  refresh: '新しいコードを表示',
};
