import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Services } from '../../services/services.js';
import { channelsRoutes } from './channels.js';
import { chatRoutes } from './chat.js';
import { imRoutes } from './im.js';
import { loginRoutes } from './login.js';
import { RestRateLimit } from './rate-limit.js';
import { roomsRoutes } from './rooms.js';
import { RestRouter } from './router.js';

/** Serves a request when it is for one of the REST routes (true), else leaves it (false). */
export type RestHandler = (req: IncomingMessage, res: ServerResponse, path: string) => boolean;

/**
 * The minimal Rocket.Chat REST API a bot needs (the calls @rocket.chat/sdk 1.0's Bot makes):
 * login, channels.join, chat.getRoomIdByNameOrId, chat.sendMessage, rooms.info, im.create.
 */
export function createRestApi(services: Services, opts: { logger: Logger; rateLimit: boolean }): RestHandler {
  const routes = [
    ...loginRoutes(services),
    ...chatRoutes(services),
    ...channelsRoutes(services),
    ...roomsRoutes(services),
    ...imRoutes(services),
  ];
  const limits = opts.rateLimit ? new RestRateLimit(services.settings, services.permissions) : undefined;
  const router = new RestRouter(routes, services.auth, opts.logger, limits);
  return (req, res, path) => router.handle(req, res, path);
}
