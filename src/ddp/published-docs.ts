/**
 * The documents a session has published, counted per subscription that published them (a
 * minimal Meteor merge box): `added` goes out for the first publisher of a document, `removed`
 * when the last one lets go of it.
 */
export class PublishedDocs {
  readonly #refs = new Map<string, number>();

  constructor(private readonly send: (msg: Record<string, unknown>) => void) {}

  added(collection: string, id: string, fields?: Record<string, unknown>): void {
    const key = `${collection}\u0000${id}`;
    const n = this.#refs.get(key) ?? 0;
    this.#refs.set(key, n + 1);
    if (n === 0) this.send(fields ? { msg: 'added', collection, id, fields } : { msg: 'added', collection, id });
  }

  removed(collection: string, id: string): void {
    const key = `${collection}\u0000${id}`;
    const n = this.#refs.get(key) ?? 0;
    if (n > 1) {
      this.#refs.set(key, n - 1);
      return;
    }
    this.#refs.delete(key);
    if (n === 1) this.send({ msg: 'removed', collection, id });
  }
}
