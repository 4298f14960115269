/**
 * The one qrlogin instance of this Next.js app, and the host's own session table.
 *
 * Next.js compiles every route handler into its own bundle, and the custom server (`server.ts`)
 * loads this file outside any bundle; a module-level `const` would give each of them a separate
 * instance. `globalThis` is the one thing they share in a process, so the instance lives there.
 */
import { createQrLogin, type QrLogin } from '@qrlogin/server';

/** The host's own accounts and sessions; a real app keeps these in its database. */
const APP_TOKENS = new Map([['demo-app-token', 'alice']]); // what the signed-in mobile app sends

interface Host {
  qr: QrLogin;
  /** Session cookie → userId. */
  sessions: Map<string, string>;
}

const KEY = Symbol.for('qrlogin.example-nextjs');

/**
 * The process-wide qrlogin instance and session table, made on first use. Its origin is `ORIGIN`,
 * else `http://localhost:$PORT`.
 *
 * @example
 * export const POST = (request: Request) => host().qr.fetch(request);
 */
export function host(): Host {
  const global = globalThis as { [KEY]?: Host };
  global[KEY] ??= {
    qr: createQrLogin({
      origin: process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`,
      // Device registration: the phone proves who it is with the host's own auth (here a bearer token).
      authenticate: (request) => {
        const userId = APP_TOKENS.get(request.headers.get('authorization')?.slice('Bearer '.length) ?? '');
        return userId ? { userId } : null;
      },
    }),
    sessions: new Map(),
  };
  return global[KEY];
}
