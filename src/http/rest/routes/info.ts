import { z } from 'zod';
import type { Services } from '../../../services/services.js';
import { defineRoute, type Route } from '../route.js';
import type { RouteOptions } from './index.js';

const infoResponse = z.object({ version: z.string() });

/** `GET /api/info` (and `/api/v1/info`): the server's version; no auth. */
export function infoRoutes(_s: Services, opts: RouteOptions): Route[] {
  return ['/api/info', '/api/v1/info'].map((path) =>
    defineRoute({
      method: 'GET',
      path,
      auth: false,
      ddp: 'info',
      summary: 'Server version',
      rateLimit: false,
      response: infoResponse,
      async handle() {
        return { version: opts.version };
      },
    }),
  );
}
