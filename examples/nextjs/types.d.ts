import type { DetailedHTMLProps, HTMLAttributes } from 'react';

// `<qr-login>` in JSX, with its attributes (see docs/browser.md).
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'qr-login': DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
        'base-url'?: string;
        'redeem-url'?: string;
        redirect?: string;
        lang?: string;
      };
    }
  }
}
