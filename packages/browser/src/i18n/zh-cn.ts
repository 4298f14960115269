import type { QrLoginStrings } from './strings.js';

/**
 * Simplified Chinese strings, chosen for every `zh*` language tag.
 *
 * @example
 * zhCN.refresh // '刷新二维码'
 */
export const zhCN: QrLoginStrings = {
  qrLabel: '使用应用扫码登录的二维码',
  loading: '正在生成登录二维码…',
  pending: '请使用应用扫描二维码登录。',
  scanned: '已扫描，请在手机上确认。',
  scannedCode: '已扫描，请在手机上输入 {code} 以确认。',
  confirmed: '已确认，正在登录…',
  signedIn: '登录成功。',
  rejected: '已在手机上拒绝登录。',
  expired: '二维码已过期。',
  cancelled: '登录已取消。',
  error: '无法连接登录服务。',
  misconfigured: '此网站的扫码登录配置有误。',
  redeemFailed: '登录未能完成。',
  countdown: '{time} 后过期',
  refresh: '刷新二维码',
};
