// Type-level checks a consumer's compiler runs against the installed tarballs. Each line fails to
// compile when a public type silently degrades to `any` (as `qr.events` did when eventemitter3's
// default import resolved to a namespace under node16/nodenext).
import { createQrLoginApp, type LoginRequest } from '@qrlogin/app';
import { createQrLoginClient, type QrLoginClient } from '@qrlogin/browser';
import { createQrLogin, type QrLogin, type QrLoginEmitter } from '@qrlogin/server';

/** `true` only for `any`. */
type IsAny<T> = 0 extends 1 & T ? true : false;

export const serverEventsAreTyped: IsAny<QrLogin['events']> = false;
export const emitterIsTyped: IsAny<QrLoginEmitter> = false;
export const browserClientIsTyped: IsAny<QrLoginClient> = false;
export const appRequestIsTyped: IsAny<LoginRequest> = false;

export function listen(qr: QrLogin, client: QrLoginClient): void {
  qr.events.on('confirmed', (event) => {
    const userId: string = event.userId;
    console.log(userId);
  });
  // @ts-expect-error an event qrlogin does not emit (unused, and so an error, if `events` is `any`)
  qr.events.on('no-such-event', () => {});
  // @ts-expect-error same for the browser client's events
  client.on('no-such-event', () => {});
}

export const factories = [createQrLogin, createQrLoginApp, createQrLoginClient] as const;
