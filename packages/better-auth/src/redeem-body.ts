import type { StandardSchemaV1 } from 'better-auth';

/** What the page posts to `{basePath}/qr-login/redeem`: the pair `POST /sessions` returned to it. */
// A type alias, not an interface: better-auth's client only types bodies that extend
// `Record<string, any>`, which an interface (no index signature) does not.
export type RedeemBody = {
  sessionId: string;
  browserSecret: string;
};

/**
 * The redeem endpoint's body schema, as a Standard Schema so better-auth validates it and its
 * client types `authClient.qrLogin.redeem()` — without a schema library of our own. It only checks
 * the shape; `qr.redeem()` checks the formats and the secret, with qrlogin's error codes.
 *
 * @example
 * const result = redeemBody['~standard'].validate({ sessionId: 'x', browserSecret: 'y' });
 */
export const redeemBody: StandardSchemaV1<RedeemBody> = {
  '~standard': {
    version: 1,
    vendor: 'qrlogin',
    validate(value) {
      const body = value as Partial<Record<keyof RedeemBody, unknown>> | null;
      if (typeof body === 'object' && body !== null) {
        if (typeof body.sessionId === 'string' && typeof body.browserSecret === 'string') {
          return { value: { sessionId: body.sessionId, browserSecret: body.browserSecret } };
        }
      }
      return { issues: [{ message: 'expected { sessionId: string, browserSecret: string }' }] };
    },
  },
};
