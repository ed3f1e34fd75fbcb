import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';

/** Meteor's password scheme: bcrypt over the lowercase hex SHA-256 of the password. */
export const sha256Hex = (plain: string): string => createHash('sha256').update(plain, 'utf8').digest('hex');

export async function hashPassword(plain: string, cost: number): Promise<string> {
  return bcrypt.hash(sha256Hex(plain), cost);
}

/** `digest` is the lowercase hex SHA-256 the client computed (or we computed from a plain password). */
export async function verifyDigest(digest: string, bcryptHash: string): Promise<boolean> {
  return bcrypt.compare(digest, bcryptHash);
}

/** Resume tokens are stored only as base64(SHA-256(token)). */
export const hashLoginToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('base64');
