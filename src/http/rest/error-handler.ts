import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { RestError, failure, invalidParams, toRestError } from './rest-error.js';

interface ValidationIssue {
  instancePath?: string;
  message?: string;
}

/** `roomId: Invalid input: expected string, received undefined` — the first problem, named by its path. */
function validationReason(err: FastifyError): string {
  const issue = (err.validation?.[0] ?? {}) as ValidationIssue;
  const path = (issue.instancePath ?? '').split('/').filter(Boolean).join('.');
  return `${path || 'params'}: ${issue.message ?? 'invalid'}`;
}

/** The body-reading failures fastify reports, in Rocket.Chat's failure shape. */
const HTTP_FAILURES: Record<string, () => RestError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () =>
    // The rest of the body is left unread: the connection cannot be reused.
    new RestError(413, { success: false, error: 'Payload Too Large' }, { connection: 'close' }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new RestError(415, { success: false, error: 'Unsupported Media Type' }),
  FST_ERR_CTP_INVALID_JSON_BODY: () => failure('Invalid JSON body'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => failure('Invalid JSON body'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => failure('Invalid Content-Length'),
};

/**
 * Any failure as a REST answer: a RestError as is; a schema violation → 400 `invalid-params`;
 * fastify's body errors → 413 / 415 / 400; a domain or Meteor error → the DDP error map's code and
 * reason in Rocket.Chat's envelope (`ddp` is the DDP method named in `details.method`). Undefined
 * for anything unexpected.
 */
export function restErrorOf(err: unknown, ddp: string): RestError | undefined {
  if (err instanceof RestError) return err;
  const f = err as Partial<FastifyError>;
  if (Array.isArray(f.validation)) return invalidParams(validationReason(f as FastifyError));
  const http = f.code ? HTTP_FAILURES[f.code] : undefined;
  if (http) return http();
  const mapped = toRestError(err, ddp);
  if (mapped) return mapped;
  // Other client errors fastify detects itself (a bad URL encoding …): their status, our envelope.
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500 && f.code?.startsWith('FST_')) {
    return new RestError(f.statusCode, { success: false, error: f.message ?? 'Bad request' });
  }
  return undefined;
}

/** Installs the one error exit of the HTTP server; unexpected errors are logged and answered 500. */
export function installErrorHandler(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((err, req, reply) => {
    const route = req.routeOptions.config.route;
    const known = restErrorOf(err, route?.ddp ?? '');
    if (!known) {
      logger.error({ err, method: req.method, url: req.url }, 'REST endpoint failed');
      return reply.code(500).send({ success: false, error: 'Internal server error' });
    }
    return reply.code(known.status).headers(known.headers).send(known.body);
  });
}
