/**
 * Fills the confirm screen from a scanned login request: who is asking (browser, OS, IP, place,
 * time), whether they seem to be near this phone, and the code field when the site uses number
 * matching. All values go in as text.
 */
import type { LoginRequest } from '@qrlogin/app';
import type { PhoneElements } from './page-elements.js';

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Writes `request` into the confirm screen and starts its countdown; returns a function that stops it.
 *
 * @example
 * const stop = showLoginRequest(ui, request);
 */
export function showLoginRequest(ui: PhoneElements, request: LoginRequest): () => void {
  const { requester, proximity } = request;
  ui.site.textContent = request.origin;
  ui.browser.textContent = `${requester.browser || 'Unknown browser'} on ${requester.os || 'an unknown system'}`;
  ui.ip.textContent = requester.ip;
  ui.place.textContent = requester.place ?? 'Unknown';
  ui.time.textContent = clock(requester.createdAt);
  ui.network.textContent = proximity.sameNetwork ? 'Same network as this phone' : 'Not the network this phone is on';
  ui.far.hidden = proximity.distance !== 'far';
  ui.codeField.hidden = !request.codeRequired;
  ui.codeInput.required = request.codeRequired;
  ui.codeInput.value = '';
  ui.confirm.disabled = false;
  ui.reject.disabled = false;
  ui.report.disabled = false;

  const tick = () => {
    const seconds = Math.max(0, Math.ceil((request.localExpiresAt - Date.now()) / 1000));
    ui.countdown.textContent =
      seconds > 0 ? `Expires in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}` : 'Expired';
    ui.confirm.disabled ||= seconds === 0;
  };
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
