import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Route } from './route.js';

const failureBody = z.object({
  success: z.literal(false),
  error: z.string(),
  errorType: z.union([z.string(), z.number()]).optional(),
  details: z.unknown().optional(),
});
const successFlag = z.object({ success: z.literal(true) });

/** The route's fastify schema: its zod schemas validate the request and document it; responses document it only. */
export function routeSchema(r: Route): FastifySchema {
  const response: Record<number, z.ZodType> = {
    200: r.response instanceof z.ZodObject ? r.response.extend(successFlag.shape) : r.response ? z.intersection(r.response, successFlag) : successFlag.loose(),
    400: failureBody,
  };
  if (r.auth === true) response[401] = failureBody;
  if (r.permissions) response[403] = failureBody;
  if (r.rateLimit !== false) response[429] = failureBody;
  const schema: FastifySchema & { summary: string; tags: string[]; security?: unknown[] } = {
    summary: r.summary,
    tags: [tagOf(r.path)],
    response,
  };
  if (r.query) schema.querystring = r.query;
  if (r.body) schema.body = r.body;
  if (r.params) schema.params = r.params;
  if (r.auth === true) schema.security = [{ userId: [], authToken: [] }];
  return schema;
}

/** `rooms.info` → `rooms`; `method.call/:method` → `method`; `/api/info` → `info`. */
const tagOf = (path: string): string => path.replace(/^\/api\/(v1\/)?/, '').split(/[./]/)[0] || 'misc';

const zodToJsonConfig = { unrepresentable: 'any' } as const;

/**
 * Collects the OpenAPI 3.1 document from every route registered after it (their zod schemas,
 * through the type provider's transform). Must be registered before the routes.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Orbit REST API',
        description: "Rocket.Chat's REST API (`/api/v1`) as Orbit serves it.",
        version,
      },
      components: {
        securitySchemes: {
          userId: { type: 'apiKey', in: 'header', name: 'X-User-Id' },
          authToken: { type: 'apiKey', in: 'header', name: 'X-Auth-Token' },
        },
      },
    },
    transform: createJsonSchemaTransform({ zodToJsonConfig }),
    transformObject: createJsonSchemaTransformObject({ zodToJsonConfig }),
  });
}

/** `GET /api/v1/openapi.json`: the document (left out of itself). */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/api/v1/openapi.json', { schema: { hide: true } as FastifySchema }, async () => app.swagger());
}
