/**
 * Subscribers by stream and event name. Most event names have exactly one subscriber (a user's own
 * `<uid>/…` events), so a lone subscriber is stored as itself and a Set is made only for a second:
 * with ten thousand connections that saves a Set (and a key string) per subscription.
 */
export class EventIndex<S> {
  readonly #streams = new Map<string, Map<string, S | Set<S>>>();

  add(stream: string, eventName: string, sub: S): void {
    let events = this.#streams.get(stream);
    if (!events) this.#streams.set(stream, (events = new Map()));
    const current = events.get(eventName);
    if (current === undefined) events.set(eventName, sub);
    else if (current instanceof Set) current.add(sub);
    else if (current !== sub) events.set(eventName, new Set([current, sub]));
  }

  delete(stream: string, eventName: string, sub: S): void {
    const events = this.#streams.get(stream);
    const current = events?.get(eventName);
    if (current === undefined) return;
    if (current instanceof Set) {
      current.delete(sub);
      if (current.size === 1) events!.set(eventName, current.values().next().value as S);
    } else if (current === sub) {
      events!.delete(eventName);
    }
  }

  /** Whether the event has any subscriber. */
  has(stream: string, eventName: string): boolean {
    return this.#streams.get(stream)?.get(eventName) !== undefined;
  }

  /** Calls `fn` for each subscriber of the event. */
  forEach(stream: string, eventName: string, fn: (sub: S) => void): void {
    const current = this.#streams.get(stream)?.get(eventName);
    if (current === undefined) return;
    if (current instanceof Set) for (const sub of current) fn(sub);
    else fn(current);
  }

  /** How many registrations in all. */
  count(): number {
    let n = 0;
    for (const events of this.#streams.values()) for (const v of events.values()) n += v instanceof Set ? v.size : 1;
    return n;
  }
}
