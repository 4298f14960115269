import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/**
 * The host's own sessions (cookie value → userId). A real app keeps them in its database or uses its
 * auth library's sessions; qrlogin never makes them.
 *
 * @example
 * const sid = sessions.start('alice');
 */
@Injectable()
export class HostSessions {
  readonly #users = new Map<string, string>();

  /** A fresh session for `userId`; returns its cookie value (256 random bits). */
  start(userId: string): string {
    const sid = randomBytes(32).toString('base64url');
    this.#users.set(sid, userId);
    return sid;
  }

  /** The user a session cookie names, if any. */
  userOf(sid: string | undefined): string | undefined {
    return sid === undefined ? undefined : this.#users.get(sid);
  }
}
