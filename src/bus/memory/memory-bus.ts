import type { Logger } from 'pino';
import type { Bus } from '../bus.js';

/** Single-process bus: delivers synchronously, in publish order, to every handler of the topic. */
export class MemoryBus implements Bus {
  readonly #handlers = new Map<string, Set<(payload: unknown) => void>>();

  constructor(private readonly logger?: Logger) {}

  publish(topic: string, payload: unknown): void {
    const set = this.#handlers.get(topic);
    if (!set) return;
    for (const h of set) {
      try {
        h(payload);
      } catch (err) {
        this.logger?.error({ err, topic }, 'bus handler failed');
      }
    }
  }

  subscribe(topic: string, handler: (payload: unknown) => void): () => void {
    let set = this.#handlers.get(topic);
    if (!set) this.#handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  async close(): Promise<void> {
    this.#handlers.clear();
  }
}
