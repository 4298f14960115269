import type { QrLoginLocale } from './resolve-strings.js';

/** Texts of the "send a prompt to my phone" button ({@link addPromptButton}). */
export interface PromptStrings {
  /** The button. */
  button: string;
  /** While the prompt is being sent. */
  sending: string;
  /** Once it went out. */
  sent: string;
  /** Refused for push fatigue (`PROMPT_LIMITED`): the QR is shown instead. */
  limited: string;
  /** The browser's token is gone (`PROMPT_INVALID`): the button disappears, the QR is shown. */
  invalid: string;
}

/**
 * The built-in prompt texts, per locale of `<qr-login>`.
 *
 * @example
 * addPromptButton(element, { strings: { ...PROMPT_LOCALES.en, button: 'Notify my phone' } });
 */
export const PROMPT_LOCALES: Readonly<Record<QrLoginLocale, PromptStrings>> = {
  en: {
    button: 'Send a prompt to my phone',
    sending: 'Sending a prompt to your phone…',
    sent: 'Prompt sent. Open it on your phone, check the details and type the number shown here.',
    limited: 'Too many prompts were sent. Scan the QR code instead.',
    invalid: 'This browser can no longer send prompts. Scan the QR code instead.',
  },
  'zh-CN': {
    button: '向我的手机发送登录请求',
    sending: '正在向您的手机发送请求…',
    sent: '请求已发送。请在手机上打开，核对信息并输入此处显示的数字。',
    limited: '发送的请求过多，请改为扫描二维码。',
    invalid: '此浏览器已无法发送请求，请改为扫描二维码。',
  },
  ja: {
    button: 'スマートフォンに通知を送る',
    sending: 'スマートフォンに通知を送信しています…',
    sent: '通知を送信しました。スマートフォンで開き、内容を確認して、ここに表示される数字を入力してください。',
    limited: '通知の送信回数が多すぎます。代わりにQRコードをスキャンしてください。',
    invalid: 'このブラウザーからは通知を送れなくなりました。代わりにQRコードをスキャンしてください。',
  },
};
