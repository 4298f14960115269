/**
 * The two checks every route authenticated by the host's own session makes (registration, linking a
 * new phone, the web side of device management): who the host says is signed in, and that the
 * request comes from one of the site's own pages.
 */
import { QrLoginError } from '@qrlogin/protocol';
import type { Context } from '../context.js';
import type { CoreRequest } from './types.js';

/**
 * The signed-in user per the host's `authenticate` hook, or `UNAUTHENTICATED` saying what the
 * request needs it for.
 *
 * @example
 * const userId = await hostUser(ctx, request, 'before linking a phone');
 */
export async function hostUser(ctx: Context, request: CoreRequest, purpose: string): Promise<string> {
  const authenticate = ctx.options.authenticate;
  const user = authenticate ? await authenticate(request.toRequest()) : null;
  if (!user || typeof user.userId !== 'string' || user.userId === '') {
    throw new QrLoginError('UNAUTHENTICATED', `sign in to the site ${purpose}`);
  }
  return user.userId;
}

/**
 * The page's `Origin`, which must be one of `allowedOrigins`: the host's session is usually a
 * cookie, which a browser attaches to cross-site requests too, so only the Origin tells the site's
 * own page from another site's. Browsers send it on every cross-origin request and on same-origin
 * state changes other than `POST`; where `required` is false, an absent one passes (`''`).
 *
 * @example
 * const origin = allowedPageOrigin(ctx, request, { required: true });
 */
export function allowedPageOrigin(ctx: Context, request: CoreRequest, options: { required: boolean }): string {
  const origin = request.header('origin');
  if (origin === undefined && !options.required) return '';
  if (origin === undefined || !ctx.options.allowedOrigins.has(origin)) {
    const shown = origin === undefined ? 'absent' : JSON.stringify(origin.slice(0, 100));
    throw new QrLoginError('FORBIDDEN_ORIGIN', `Origin ${shown} is not allowed`);
  }
  return origin;
}
