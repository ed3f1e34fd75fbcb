import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { parseEjson, stringifyEjson } from '../../ddp/ejson.js';
import type { Bus } from '../bus.js';

/**
 * The bus over NATS core pub/sub, for several Orbit instances. Payloads travel as EJSON text;
 * every instance (this one included) receives every publish through the server, in order per
 * publisher.
 */
export class NatsBus implements Bus {
  readonly #subs = new Set<Subscription>();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly logger: Logger,
  ) {}

  static async connect(url: string, logger: Logger): Promise<NatsBus> {
    const servers = url.replace(/^nats:\/\//, '');
    const nc = await connect({ servers, name: 'orbit', maxReconnectAttempts: -1 });
    return new NatsBus(nc, logger);
  }

  publish(topic: string, payload: unknown): void {
    this.nc.publish(topic, stringifyEjson(payload));
  }

  subscribe(topic: string, handler: (payload: unknown) => void): () => void {
    const sub = this.nc.subscribe(topic, {
      callback: (err, msg) => {
        if (err) {
          this.logger.error({ err, topic }, 'bus subscription failed');
          return;
        }
        let payload: unknown;
        try {
          payload = parseEjson(msg.string());
        } catch (e) {
          this.logger.error({ err: e, topic }, 'undecodable bus message');
          return;
        }
        try {
          handler(payload);
        } catch (e) {
          this.logger.error({ err: e, topic }, 'bus handler failed');
        }
      },
    });
    this.#subs.add(sub);
    return () => {
      this.#subs.delete(sub);
      sub.unsubscribe();
    };
  }

  /** Waits until everything published so far has reached the server. */
  async flush(): Promise<void> {
    await this.nc.flush();
  }

  async close(): Promise<void> {
    for (const s of this.#subs) s.unsubscribe();
    this.#subs.clear();
    await this.nc.drain();
  }
}
