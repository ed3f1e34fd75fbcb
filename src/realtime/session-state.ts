import type { Session } from '../ddp/session.js';

/** What the Rocket.Chat layer keeps on a DDP session. */
export interface SessionState {
  /** Hash of the resume token this connection logged in with (for logout). */
  hashedToken?: string;
  /** The logged-in user's global roles, kept current for per-recipient stream checks. */
  roles?: string[];
  username?: string;
}

export const sessionState = (s: Session): SessionState => s.locals as SessionState;
