import { QrLoginError } from '../../src/index.js';

/**
 * The `QrLoginError` code a call fails with; any other outcome fails the test.
 *
 * @example
 * expect(await codeOf(app.endLogin(id))).toBe('LOGIN_NOT_FOUND');
 */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof QrLoginError)) throw new Error(`expected a QrLoginError, got ${String(err)}`);
  return err.code;
}
