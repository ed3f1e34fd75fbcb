import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DdpServer } from '../server.js';
import { CloseCode, type Transport } from '../transport.js';

const PATHS = new Set(['/websocket', '/websocket/']);
/** How long a peer gets to answer our close frame before its socket is destroyed. */
const CLOSE_GRACE_MS = 2000;

/** Serves DDP over WebSocket at `/websocket` on an existing HTTP server. */
export class WebSocketTransport {
  readonly #wss: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  #closing = false;

  constructor(
    private readonly ddp: DdpServer,
    http: HttpServer,
    maxFrameBytes: number,
  ) {
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: maxFrameBytes, perMessageDeflate: false, clientTracking: false });
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (req.url ?? '').split('?')[0]!;
      if (this.#closing) {
        socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
        return;
      }
      if (!PATHS.has(path)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, req));
    });
  }

  #open(ws: WebSocket, req: IncomingMessage): void {
    const socket = req.socket;
    const remoteAddress = socket.remoteAddress ?? '';
    this.#sockets.add(ws);
    // Frames sent to one client in the same tick (a message, its room change, its __my_messages__
    // copy…) leave in one write: the TCP socket is corked until the tick ends.
    let corked = false;
    const uncork = () => {
      corked = false;
      socket.uncork();
    };
    const transport: Transport = {
      send: (data) => {
        if (!corked) {
          corked = true;
          socket.cork();
          process.nextTick(uncork);
        }
        ws.send(data, { binary: false });
      },
      close: (code, reason) => {
        try {
          ws.close(code, reason);
        } catch {
          ws.terminate();
        }
        // A peer that never answers the close handshake is cut off.
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
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
    ws.on('close', (code, reason) => {
      this.#sockets.delete(ws);
      session.socketClosed(code, reason.toString());
    });
    // ws reports protocol violations here (oversized frame → it closes with 1009, bad UTF-8 → 1007)
    // and closes the socket itself; the session learns of it through 'close'.
    ws.on('error', (err) => {
      session.logger.debug({ err: err.message }, 'socket error');
      if (ws.readyState === ws.OPEN) ws.close(CloseCode.protocolError, 'protocol error');
    });
  }

  /** Refuses new upgrades and resolves once every open socket has closed (or was cut off). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#wss.close();
    const open = [...this.#sockets];
    await Promise.all(
      open.map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === ws.CLOSED) return resolve();
            const timer = setTimeout(() => {
              ws.terminate();
              resolve();
            }, CLOSE_GRACE_MS);
            timer.unref();
            ws.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
      ),
    );
  }
}
