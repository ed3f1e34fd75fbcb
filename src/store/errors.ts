/** Raised by a backend when an insert or update would break a unique key. */
export class DuplicateKeyError extends Error {
  constructor(
    readonly collection: string,
    readonly key: string,
  ) {
    super(`duplicate ${collection}.${key}`);
    this.name = 'DuplicateKeyError';
  }
}
