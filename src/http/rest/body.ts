import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';

/** The largest request body the REST API reads (decision: Rocket.Chat's own limit is far larger). */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * The bodies the REST API reads: JSON (an empty body is `{}`; `__proto__` / `constructor` keys
 * are refused as malformed) and `application/x-www-form-urlencoded` (Rocket.Chat takes both, e.g.
 * a form-encoded login). Any other media type with a body is a 415; the size limit is the
 * server's `bodyLimit` (413).
 */
export async function registerBodyParsers(app: FastifyInstance): Promise<void> {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if ((body as string).trim() === '') done(null, {});
    else json(req, body as string, done);
  });
  await app.register(formbody);
}
