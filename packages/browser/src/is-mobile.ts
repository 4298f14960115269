/**
 * Whether this page runs on a phone or tablet, where `<qr-login>` offers "Open in app" (a camera
 * cannot scan the screen it is on). In order of trust: User-Agent Client Hints (`mobile`, Chromium);
 * a phone or tablet OS named in the User-Agent string (Safari, Firefox, and Chromium under device
 * emulation, whose hints may still say desktop); and, only where there are no client hints, a
 * coarse primary pointer (iPadOS Safari, which poses as a Mac). A touch laptop
 * with client hints stays "desktop". Wrong either way costs little: the link opens the QR URL,
 * which is the app when it is installed and a page saying what to do when it is not.
 *
 * @example
 * if (isMobileDevice()) showOpenInApp();
 */
export function isMobileDevice(): boolean {
  const hints = (navigator as { userAgentData?: { mobile?: boolean } }).userAgentData;
  return (
    !!hints?.mobile ||
    /Android|iPhone|iPad|iPod|Mobi/.test(navigator.userAgent) ||
    (!hints && matchMedia('(pointer:coarse)').matches)
  );
}
