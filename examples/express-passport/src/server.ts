/**
 * qrlogin on Express 5 with Passport: `app.use(qr.node)` serves qrlogin's routes under `/qrlogin`,
 * `qr.attach(server)` its WebSocket, and `POST /login/qr` authenticates with {@link QrLoginStrategy}
 * (verify step: `qr.redeem()`), after which Passport's `req.login()` starts a fresh express-session.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createQrLogin, isQrLoginError } from '@qrlogin/server';
import express from 'express';
import session from 'express-session';
import { Passport } from 'passport';
import { QrLoginStrategy } from './qr-login-strategy.js';

declare global {
  namespace Express {
    /** What Passport keeps in the session for a signed-in user. */
    interface User {
      userId: string;
    }
  }
}

// The host's own accounts; a real app keeps these in its database.
const APP_TOKENS = new Map([['demo-app-token', 'alice']]); // what the signed-in mobile app sends

/**
 * Starts the example on `port` (0 picks a free one).
 *
 * @example
 * const { url, close } = await start(3000);
 */
export async function start(port = 3000, origin = `http://localhost:${port}`) {
  const qr = createQrLogin({
    origin,
    // Device registration: the phone proves who it is with the host's own auth (here a bearer token).
    authenticate: (request) => {
      const userId = APP_TOKENS.get(request.headers.get('authorization')?.slice('Bearer '.length) ?? '');
      return userId ? { userId } : null;
    },
  });

  // An authenticator of this server's own rather than the `passport` singleton, so two servers in one
  // process (the tests) never share strategies.
  const passport = new Passport();
  passport.use(new QrLoginStrategy(qr, ({ userId }) => ({ userId })));
  passport.serializeUser<string>((user, done) => done(null, user.userId));
  passport.deserializeUser<string>((userId, done) => done(null, { userId }));

  const app = express();
  // Before any body parser: qrlogin reads and size-limits its own bodies.
  app.use(qr.node);
  app.use(express.json({ limit: '1kb' }));
  app.use(
    session({
      name: 'sid',
      // A real app sets SESSION_SECRET and a persistent store (connect-redis, …) instead of the memory one.
      secret: process.env.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      resave: false,
      // No cookie until someone signs in, so a refused redeem sets none.
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: origin.startsWith('https:') },
    }),
  );
  app.use(passport.session());

  app.post('/login/qr', (req, res, next) => {
    // A custom callback, so a refused redeem answers with qrlogin's error body and status.
    passport.authenticate('qrlogin', (err: unknown, user: Express.User | false, challenge: unknown) => {
      if (err) return next(err);
      if (!user) {
        if (isQrLoginError(challenge)) return res.status(challenge.status).json(challenge.toJSON());
        return next(challenge);
      }
      // Passport regenerates the session here (no session fixation): a fresh session for this browser.
      req.login(user, (loginErr) => (loginErr ? next(loginErr) : res.json({ userId: user.userId })));
    })(req, res, next);
  });

  app.get('/me', (req, res) => {
    if (req.user) res.json({ userId: req.user.userId });
    else res.status(401).json({ error: 'not signed in' });
  });

  const server = app.listen(port);
  qr.attach(server);
  await once(server, 'listening');
  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url,
    async close() {
      await qr.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
