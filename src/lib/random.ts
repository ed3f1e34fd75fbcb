import { randomBytes } from 'node:crypto';

const UNMISTAKABLE = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
const SECRET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';

function pick(alphabet: string, length: number): string {
  // Rejection sampling keeps every character uniformly likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < limit) out += alphabet[b % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Meteor `Random.id()`: 17 characters from the unmistakable alphabet. */
export const randomId = (length = 17): string => pick(UNMISTAKABLE, length);
/** Meteor `Random.secret()`: 43 characters, used for login tokens. */
export const randomSecret = (length = 43): string => pick(SECRET, length);

/** A 24-character lowercase hex id, the shape MongoDB ObjectIds take on the wire. */
let counter = randomBytes(3).readUIntBE(0, 3);
const processUnique = randomBytes(5).toString('hex');
export function objectId(): string {
  counter = (counter + 1) % 0xffffff;
  const time = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
  return time + processUnique + counter.toString(16).padStart(6, '0');
}
