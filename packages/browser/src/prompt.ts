/**
 * @module @qrlogin/browser/prompt
 *
 * "Send a prompt to my phone" for `<qr-login>`, for pages whose browsers can be linked (the
 * server's `promptDevices` option). A separate entry so the element's own bundle does not grow.
 *
 * @example
 * import '@qrlogin/browser/element';
 * import { addPromptButton } from '@qrlogin/browser/prompt';
 * addPromptButton(document.querySelector('qr-login')!);
 */
export { PROMPT_LOCALES, type PromptStrings } from './i18n/prompt-strings.js';
export { addPromptButton, type PromptButtonOptions } from './prompt-button.js';
