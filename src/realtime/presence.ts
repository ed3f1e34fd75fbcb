import type { DdpServer } from '../ddp/server.js';
import type { Session } from '../ddp/session.js';
import type { Services } from '../services/services.js';

const STATUS_CODE = { offline: 0, online: 1, away: 2, busy: 3 } as const;

/**
 * Connection-based presence on this instance: a user with a logged-in session is `online`,
 * without one `offline`; changes are announced as `user-status` on stream-notify-logged.
 */
export class Presence {
  readonly #sessions = new Map<string, number>();

  constructor(
    private readonly s: Services,
    private readonly ddp: DdpServer,
  ) {}

  userChanged(session: Session, previous: string | null): void {
    if (previous) this.#leave(previous);
    if (session.userId) this.#enter(session.userId);
  }

  sessionClosed(session: Session): void {
    if (session.userId) this.#leave(session.userId);
  }

  #enter(userId: string): void {
    const n = this.#sessions.get(userId) ?? 0;
    this.#sessions.set(userId, n + 1);
    if (n === 0) void this.#set(userId, 'online');
  }

  #leave(userId: string): void {
    const n = this.#sessions.get(userId) ?? 0;
    if (n <= 1) {
      this.#sessions.delete(userId);
      if (n === 1) void this.#set(userId, 'offline');
    } else this.#sessions.set(userId, n - 1);
  }

  async #set(userId: string, status: 'online' | 'offline'): Promise<void> {
    try {
      const before = await this.s.store.users.findById(userId);
      if (!before || (before.status === status && before.statusConnection === status)) return;
      const user = await this.s.store.users.update(userId, { set: { status, statusConnection: status } });
      if (!user) return;
      this.s.events.loggedEvent('user-status', [
        [user._id, user.username, STATUS_CODE[status], user.statusText ?? '', user.name, user.roles],
      ]);
    } catch (err) {
      this.ddp.logger.warn({ err, userId }, 'presence update failed');
    }
  }
}
