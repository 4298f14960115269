/** Where qrlogin is mounted on the host, and the host's own credentials for the signed-in user. */
export const QRLOGIN_BASE_URL = 'https://example.com/qrlogin';

/** The signed-in user's id, as the host's `authenticate` hook returns it: the registration signs it. */
export function signedInUserId(): string {
  return '<your signed-in user id>';
}

/** Your app's session for the signed-in user; registration sends it so the host knows whose phone this is. */
export function hostAuthHeaders(): Record<string, string> {
  return { authorization: 'Bearer <your app session token>' };
}
