'use client';
/**
 * `<qr-login>` in a client component. The element is defined in an effect, so it only runs in the
 * browser (custom elements do not exist during server rendering); until then the tag renders as an
 * empty unknown element. After the redeem route set the cookie, the element follows `redirect`.
 */
import { defineQrLoginElement } from '@qrlogin/browser';
import { useEffect } from 'react';

export function QrLoginBox() {
  useEffect(() => {
    defineQrLoginElement();
  }, []);
  return <qr-login base-url="/qrlogin" redeem-url="/login/qr" redirect="/me" />;
}
