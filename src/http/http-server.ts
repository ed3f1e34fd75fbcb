import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { MAX_BODY_BYTES, registerBodyParsers } from './rest/body.js';
import { installErrorHandler } from './rest/error-handler.js';
import { registerOpenApi, registerOpenApiRoute } from './rest/openapi.js';
import type { RestApi } from './rest/rest-api.js';
import { registerRoutes } from './rest/router.js';
import { registerWebClient } from './web-routes.js';
import type { WebClient } from './web-client.js';

export interface HttpServerOptions {
  version: string;
  logger: Logger;
  /** False while starting or stopping: the health probe then answers 503. */
  healthy(): boolean;
  /** Rocket.Chat's REST API (src/http/rest). */
  rest: RestApi;
  bodyLimit?: number;
  /** The browser client served at `/` (src/http/web-client.ts). */
  web?: WebClient;
}

/**
 * The HTTP side, on fastify: the REST API with its OpenAPI document, the health probe, the web client, and (attached
 * by the DDP transport to `app.server`) the WebSocket upgrade at `/websocket`.
 */
export async function createHttpServer(opts: HttpServerOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: opts.logger as FastifyBaseLogger,
    // No log line per request: failures are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: opts.bodyLimit ?? MAX_BODY_BYTES,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  // Response schemas document the routes; the bodies are sent as they are (no second validation pass).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  installErrorHandler(app, opts.logger);
  await registerBodyParsers(app);
  await app.register(cors, { delegator: opts.rest.cors });
  await registerOpenApi(app, opts.version);

  registerRoutes(app, opts.rest.routes, opts.rest.deps);
  registerOpenApiRoute(app);
  for (const path of ['/health', '/healthz']) {
    app.get(path, { schema: { hide: true } }, async (_req, reply) =>
      opts.healthy() ? { status: 'ok' } : reply.code(503).send({ status: 'unavailable' }),
    );
  }

  if (opts.web) registerWebClient(app, opts.web);

  const paths = new Set(opts.rest.routes.map((r) => (r.path.startsWith('/') ? r.path : `/api/v1/${r.path}`)));
  app.setNotFoundHandler((req, reply) => {
    const path = (req.url.split('?')[0] ?? '/').replace(/\/$/, '');
    if (paths.has(path)) return reply.code(405).send({ success: false, error: 'Method not allowed' });
    return reply.code(404).send({ success: false, error: 'Not found' });
  });
  return app;
}
