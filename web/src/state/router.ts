import { signal } from '@preact/signals';
import type { RoomType } from './types';

export type Route = { kind: 'home' } | { kind: 'room'; t: RoomType; key: string };

const PREFIX: Record<string, RoomType> = { channel: 'c', group: 'p', direct: 'd' };

export function parseRoute(pathname: string): Route {
  const m = /^\/(channel|group|direct)\/([^/]+)\/?$/.exec(pathname);
  if (!m) return { kind: 'home' };
  return { kind: 'room', t: PREFIX[m[1]!]!, key: decodeURIComponent(m[2]!) };
}

/** The page's URL as a signal; `navigate` pushes history, the back button works. */
export class Router {
  readonly route = signal<Route>(parseRoute(location.pathname));

  constructor() {
    addEventListener('popstate', () => (this.route.value = parseRoute(location.pathname)));
  }

  navigate(path: string, replace = false): void {
    if (path === location.pathname) return;
    performance.mark('orbit:navigate');
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.route.value = parseRoute(path);
  }
}
