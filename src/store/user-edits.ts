import type { LoginToken, User } from '../domain/types.js';

/**
 * The edits of a user document that every backend makes the same way (inside its own
 * read-modify-write): login tokens and the password hash.
 */
export type UserEdit = (doc: User, now: Date) => User;

export const loginTokensOf = (u: User): LoginToken[] => u.services?.resume?.loginTokens ?? [];

function withTokens(doc: User, loginTokens: LoginToken[], now: Date): User {
  return { ...doc, services: { ...doc.services, resume: { ...doc.services?.resume, loginTokens } }, _updatedAt: now };
}

export const addLoginToken =
  (token: LoginToken): UserEdit =>
  (doc, now) =>
    withTokens(doc, [...loginTokensOf(doc), token], now);

export const removeLoginToken =
  (hashedToken: string): UserEdit =>
  (doc, now) =>
    withTokens(doc, loginTokensOf(doc).filter((t) => t.hashedToken !== hashedToken), now);

export const setPassword =
  (bcryptHash: string): UserEdit =>
  (doc, now) => ({ ...doc, services: { ...doc.services, password: { bcrypt: bcryptHash } }, _updatedAt: now });
