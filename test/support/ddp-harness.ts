import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { DdpServer, type DdpServerOptions } from '../../src/ddp/server.js';
import type { MethodHandler } from '../../src/ddp/session.js';
import type { PublicationHandler } from '../../src/ddp/subscription.js';
import { WebSocketTransport } from '../../src/ddp/transport/websocket.js';

export interface DdpHarness {
  ddp: DdpServer;
  url: string;
  stop(): Promise<void>;
}

/**
 * A bare DDP server (no chat surface) over a real WebSocket on a random port, with the methods and
 * publications a protocol test needs (a slow method, an echo…).
 */
export async function startDdpHarness(opts: {
  methods?: Record<string, MethodHandler>;
  publications?: Record<string, PublicationHandler>;
  options?: Partial<DdpServerOptions>;
  maxFrameBytes?: number;
  logger?: Logger;
}): Promise<DdpHarness> {
  const ddp = new DdpServer(
    {
      handshakeTimeoutMs: 10_000,
      heartbeatIntervalMs: 15_000,
      heartbeatTimeoutMs: 15_000,
      slowConsumerBytes: 4 * 1024 * 1024,
      ...opts.options,
    },
    opts.logger ?? pino({ level: 'silent' }),
  );
  ddp.methods(opts.methods ?? {});
  for (const [name, handler] of Object.entries(opts.publications ?? {})) ddp.publish(name, handler);
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const transport = new WebSocketTransport(ddp, http, opts.maxFrameBytes ?? 1024 * 1024);
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const port = (http.address() as AddressInfo).port;
  return {
    ddp,
    url: `ws://127.0.0.1:${port}/websocket`,
    async stop() {
      http.close();
      const closed = transport.close();
      ddp.closeAll(1001, 'test over');
      await closed;
      http.closeAllConnections();
    },
  };
}
