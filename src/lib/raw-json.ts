/**
 * A value already encoded as EJSON text (a stored document read as is). The DDP encoder writes
 * the text in place of the value, so a document read from the store can go out without being
 * decoded and encoded again.
 */
export class RawJson {
  constructor(readonly json: string) {}
}
