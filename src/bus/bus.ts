/**
 * The event bus between Orbit instances (and, on one instance, between services and fan-out).
 * Payloads must survive EJSON encoding (plain data and Dates): the NATS backend sends them
 * over the wire. Handlers must not mutate payloads: the in-memory backend shares them.
 */
export interface Bus {
  publish(topic: string, payload: unknown): void;
  /** Returns a function that removes the handler. */
  subscribe(topic: string, handler: (payload: unknown) => void): () => void;
  close(): Promise<void>;
}
