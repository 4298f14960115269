/**
 * Universal Links / App Links: the login QR code is an https URL on the host
 * (`https://example.com/qrlogin/q/1/<session>`), so a phone camera app or a tapped link can open
 * this app with it. Both the link that launched the app and links arriving while it runs go to the
 * same `onScan` the camera uses, which refuses other sites' codes before any request.
 */
import { useEffect } from 'react';
import { Linking } from 'react-native';

export function useLoginLinks(onScan: ((url: string) => void) | null): void {
  useEffect(() => {
    if (!onScan) return;
    void Linking.getInitialURL().then((url) => {
      if (url) onScan(url);
    });
    const subscription = Linking.addEventListener('url', ({ url }) => onScan(url));
    return () => subscription.remove();
  }, [onScan]);
}
