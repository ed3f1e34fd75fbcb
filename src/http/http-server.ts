import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface HttpRoutes {
  version: string;
  /** False while starting or stopping: the health probe then answers 503. */
  healthy(): boolean;
  /** Rocket.Chat's REST API (src/http/rest): true when it took the request. */
  rest?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The HTTP side: server info, a health probe, and the WebSocket upgrade (attached by the DDP transport). */
export function createHttpServer(routes: HttpRoutes): Server {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (routes.rest?.(req, res, path)) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      json(res, 405, { success: false, error: 'Method not allowed' });
      return;
    }
    switch (path) {
      case '/api/info':
      case '/api/v1/info':
        json(res, 200, { version: routes.version, success: true });
        return;
      case '/health':
      case '/healthz':
        if (routes.healthy()) json(res, 200, { status: 'ok' });
        else json(res, 503, { status: 'unavailable' });
        return;
      default:
        json(res, 404, { success: false, error: 'Not found' });
    }
  });
}
