import type { DdpServer } from '../ddp/server.js';
import type { Session } from '../ddp/session.js';
import type { Services } from '../services/services.js';

const STATUS_CODE = { offline: 0, online: 1, away: 2, busy: 3 } as const;

/**
 * Connection-based presence on this instance: a user with a logged-in session is `online`,
 * without one `offline`; changes are announced as `user-status` on stream-notify-logged.
 * Updates of one user run one after another and each writes the state current when it runs,
 * so a quick login/logout cannot leave a stale status behind.
 */
export class Presence {
  readonly #sessions = new Map<string, number>();
  readonly #pending = new Map<string, Promise<void>>();

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

  /** Resolves once every status write queued so far has run (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.#pending.values()]);
  }

  #enter(userId: string): void {
    const n = this.#sessions.get(userId) ?? 0;
    this.#sessions.set(userId, n + 1);
    if (n === 0) this.#schedule(userId);
  }

  #leave(userId: string): void {
    const n = this.#sessions.get(userId) ?? 0;
    if (n <= 1) {
      this.#sessions.delete(userId);
      if (n === 1) this.#schedule(userId);
    } else this.#sessions.set(userId, n - 1);
  }

  #schedule(userId: string): void {
    const previous = this.#pending.get(userId) ?? Promise.resolve();
    const next = previous.then(() => this.#sync(userId));
    this.#pending.set(userId, next);
    void next.finally(() => {
      if (this.#pending.get(userId) === next) this.#pending.delete(userId);
    });
  }

  async #sync(userId: string): Promise<void> {
    const status = this.#sessions.has(userId) ? 'online' : 'offline';
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
