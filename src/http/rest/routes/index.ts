import type { Services } from '../../../services/services.js';
import type { Route } from '../route.js';
import { channelsRoutes } from './channels.js';
import { chatEditRoutes } from './chat-edits.js';
import { chatRoutes } from './chat.js';
import { imRoutes } from './im.js';
import { infoRoutes } from './info.js';
import { integrationsRoutes } from './integrations.js';
import { loginRoutes } from './login.js';
import { roomsRoutes } from './rooms.js';
import { subscriptionsRoutes } from './subscriptions.js';
import { usersRoutes } from './users.js';

export interface RouteOptions {
  /** The version `/api/info` reports. */
  version: string;
}

/** Every REST route. A new route file adds one line here. */
export function allRoutes(s: Services, opts: RouteOptions): Route[] {
  return [
    ...infoRoutes(s, opts),
    ...loginRoutes(s),
    ...chatRoutes(s),
    ...chatEditRoutes(s),
    ...subscriptionsRoutes(s),
    ...usersRoutes(s),
    ...integrationsRoutes(s),
    ...channelsRoutes(s),
    ...roomsRoutes(s),
    ...imRoutes(s),
  ];
}
