import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DdpClient } from '../ddp/ddp-client';
import { Permissions } from './permissions';
import { PublicSettings } from './public-settings';
import { RoomsState } from './rooms';
import { Router } from './router';
import { Session } from './session';

/** Everything the page knows, built once in main.tsx and handed to components by context. */
export class AppState {
  readonly ddp: DdpClient;
  readonly session: Session;
  readonly settings: PublicSettings;
  readonly permissions: Permissions;
  readonly rooms: RoomsState;
  readonly router = new Router();

  constructor(url: string) {
    this.ddp = new DdpClient(url);
    this.session = new Session(this.ddp);
    this.settings = new PublicSettings(this.ddp);
    this.permissions = new Permissions(this.ddp);
    this.rooms = new RoomsState(this.ddp);
    this.session.onChange((me) => {
      if (me) void this.#loadSignedIn(me._id);
      else {
        this.rooms.stop();
        this.permissions.stop();
      }
    });
    this.ddp.onReconnect(() => {
      const me = this.session.me.value;
      if (me) void this.#loadSignedIn(me._id);
    });
    // A username unknown after a resume or an e-mail login is on every subscription.
    this.rooms.subs.subscribe((subs) => {
      const first = subs.values().next().value;
      if (first?.u?.username && first.u._id === this.session.me.value?._id) this.session.learnUsername(first.u.username);
    });
  }

  start(): void {
    this.ddp.connect();
    void this.settings.load().catch(() => undefined);
  }

  async #loadSignedIn(userId: string): Promise<void> {
    try {
      await Promise.all([this.rooms.load(userId), this.permissions.load(userId)]);
    } catch (err) {
      console.warn('loading the sidebar failed', err);
    }
  }
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const app = useContext(AppContext);
  if (!app) throw new Error('AppContext missing');
  return app;
}
