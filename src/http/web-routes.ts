import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebClient } from './web-client.js';

/**
 * The web client's routes on fastify: its client routes (Rocket.Chat's paths), its hashed assets and
 * its top-level files, each answered from memory by WebClient. Nothing else is claimed: `/api`,
 * `/hooks`, `/websocket` and `/health` stay the server's.
 */
export function registerWebClient(app: FastifyInstance, web: WebClient): void {
  const serve = (req: FastifyRequest, reply: FastifyReply) => {
    const answer = web.answer({
      method: req.method,
      path: (req.url.split('?')[0] ?? '/') || '/',
      acceptEncoding: req.headers['accept-encoding'],
      ifNoneMatch: req.headers['if-none-match'],
    });
    if (!answer) return reply.code(404).send({ success: false, error: 'Not found' });
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  };
  const options = { schema: { hide: true } };
  for (const path of ['/', '/home', '/login', '/register', '/channel/:name', '/group/:name', '/direct/:rid', '/assets/*', ...web.rootFiles()]) {
    app.get(path, options, serve);
  }
}
