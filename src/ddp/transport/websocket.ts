import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DdpServer } from '../server.js';
import { CloseCode, type Transport } from '../transport.js';

const PATHS = new Set(['/websocket', '/websocket/']);

/** Serves DDP over WebSocket at `/websocket` on an existing HTTP server. */
export class WebSocketTransport {
  readonly #wss: WebSocketServer;

  constructor(
    private readonly ddp: DdpServer,
    http: HttpServer,
    maxFrameBytes: number,
  ) {
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false, clientTracking: false });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (!PATHS.has(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, req));
    });
  }

  #open(ws: WebSocket, req: IncomingMessage): void {
    const remoteAddress = req.socket.remoteAddress ?? '';
    const transport: Transport = {
      send: (data) => ws.send(data, { binary: false }),
      close: (code, reason) => {
        try {
          ws.close(code, reason);
        } catch {
          ws.terminate();
        }
        // A peer that never answers the close handshake is cut off.
        setTimeout(() => ws.terminate(), 2000).unref();
      },
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      remoteAddress,
    };
    const session = this.ddp.accept(transport);
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        session.sendError('Bad request');
        return;
      }
      session.receive(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString());
    });
    ws.on('close', () => session.socketClosed());
    ws.on('error', (err) => {
      session.logger.debug({ err: err.message }, 'socket error');
      if (ws.readyState === ws.OPEN) ws.close(CloseCode.messageTooBig, 'frame too large');
    });
  }

  close(): void {
    this.#wss.close();
  }
}
