import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';
import { openBus, openStore } from './backends.js';
import { ConfigError, loadConfig, type Config } from './config/config.js';
import { DdpServer } from './ddp/server.js';
import { CloseCode } from './ddp/transport.js';
import { WebSocketTransport } from './ddp/transport/websocket.js';
import { createHttpServer } from './http/http-server.js';
import { createRestApi } from './http/rest/rest-api.js';
import type { Route } from './http/rest/route.js';
import { WebClient } from './http/web-client.js';
import { BusChatEvents } from './realtime/bus-chat-events.js';
import { mountRealtime } from './realtime/realtime.js';
import { ensureAdmin } from './services/bootstrap.js';
import { createServices } from './services/create-services.js';
import type { Services } from './services/services.js';
import { VERSION } from './version.js';

export interface Orbit {
  readonly port: number;
  readonly services: Services;
  readonly logger: Logger;
  /** The REST route declarations being served (the sweep test enumerates them). */
  readonly restRoutes: readonly Route[];
  stop(): Promise<void>;
}

/** The composition root: config → store → bus → services → realtime → DDP server → listen. */
export async function startOrbit(config: Config, logger: Logger = pino({ level: config.logLevel })): Promise<Orbit> {
  const store = await openStore(config);
  const bus = await openBus(config, logger);
  const events = new BusChatEvents(bus);
  const services = await createServices(store, events, { bcryptCost: config.bcryptCost, historyMaxLimit: config.historyMaxLimit });
  const { users, membership } = services;

  await ensureAdmin(
    store,
    async ({ username, password, email }) => {
      await users.create({ username, password, email, name: username, roles: ['user', 'admin'] }, { joinDefaultRooms: false });
      const admin = await store.users.findByUsername(username);
      if (admin) for (const room of await store.rooms.listDefault()) await membership.addUser(room, admin, { silenced: true });
    },
    config.admin,
    logger,
  );

  const ddp = new DdpServer(config.ddp, logger);
  const unmount = mountRealtime(ddp, bus, services, { rateLimit: config.rateLimit });
  if (!config.rateLimit) logger.warn('DDP rate limiting is OFF (ORBIT_RATE_LIMIT=false)');

  const web = WebClient.load(config.webDir);
  if (!web.built) logger.warn({ webDir: config.webDir }, 'the web client is not built (npm run build): / answers 503');
  let healthy = false;
  const rest = createRestApi(services, { rateLimit: config.rateLimit, version: VERSION });
  const app = await createHttpServer({ version: VERSION, logger, healthy: () => healthy, rest, web });
  const http: Server = app.server;
  const transport = new WebSocketTransport(ddp, http, config.ddp.maxFrameBytes);
  await app.listen({ port: config.port, host: config.host });
  const port = (http.address() as AddressInfo).port;
  healthy = true;
  const url = `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}/`;
  logger.info({ port, url, version: VERSION, store: config.store.kind, bus: config.bus.kind }, 'Orbit is listening');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      healthy = false;
      const httpClosed = app.close();
      const socketsClosed = transport.close();
      ddp.closeAll(CloseCode.goingAway, 'server shutting down');
      await socketsClosed;
      unmount();
      http.closeAllConnections();
      await httpClosed;
      services.stopAnnouncing();
      await bus.close();
      await store.close();
      logger.info('Orbit stopped');
    })());
  return { port, services, logger, restRoutes: rest.routes, stop };
}

export async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`orbit: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = pino({ level: config.logLevel });
  // A stray rejected promise is a bug to log, not a reason to drop every connection.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled promise rejection'));
  const orbit = await startOrbit(config, logger);
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    orbit.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`orbit: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
