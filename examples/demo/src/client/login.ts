/**
 * The login page's script: defining `<qr-login>` is all it takes. The element creates the session,
 * shows the QR, hears the phone over WebSocket (or long-poll), redeems through the host's
 * `redeem-url` and follows `redirect` to the signed-in page.
 */
import '@qrlogin/browser/element';
