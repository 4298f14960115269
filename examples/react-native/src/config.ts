/**
 * Where the host mounts qrlogin. The app accepts QR codes for exactly this origin and path and
 * refuses every other (`FOREIGN_QR`), so it must be the host's real, public origin.
 */
export const QRLOGIN_BASE_URL = 'https://example.com/qrlogin';

/**
 * The host's own credentials for the signed-in user, sent with device registration only. A real
 * app takes them from its existing login (a session cookie is sent by React Native's fetch on its
 * own; a bearer token is passed here).
 */
export async function hostAuthHeaders(): Promise<Record<string, string>> {
  return { authorization: 'Bearer <the token your app already has for this user>' };
}

/**
 * The signed-in user's id, exactly as the host's `authenticate` hook returns it for
 * {@link hostAuthHeaders}: it is signed into the device registration, so a captured registration
 * cannot be spent under another account. A real app takes it from its existing login.
 */
export async function signedInUserId(): Promise<string> {
  return '<the id your app already has for this user>';
}
