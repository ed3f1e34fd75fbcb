import { ForbiddenError, UnauthenticatedError } from '../domain/errors.js';
import type { User } from '../domain/types.js';
import { randomSecret } from '../lib/random.js';
import type { Store } from '../store/store.js';
import { hashLoginToken, hashPassword, sha256Hex, verifyDigest } from './passwords.js';
import type { SettingsService } from './settings-service.js';

export type UserSelector = { username: string } | { email: string } | { id: string };
export type PasswordInput = { digest: string } | { plain: string };

export interface LoginResult {
  user: User;
  token: string;
  hashedToken: string;
  tokenExpires: Date;
  type: 'password' | 'resume';
}

const DAY_MS = 86_400_000;

/**
 * One error for an unknown user and a wrong password, so that logins cannot probe for accounts
 * (Rocket.Chat's loginErrorMessageOverride: 403 "User not found" for both).
 */
const badCredentials = () => new UnauthenticatedError('403', 'User not found', null);

/** Logins (password and resume token) and logouts. */
export class AuthService {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly bcryptCost: number,
  ) {}

  #dummy: Promise<string> | undefined;

  /** A hash of a random value, compared against when the user does not exist. */
  #dummyHash(): Promise<string> {
    return (this.#dummy ??= hashPassword(randomSecret(), this.bcryptCost));
  }

  #expiry(when: Date): Date {
    const days = this.settings.int('Accounts_LoginExpiration') || 90;
    return new Date(when.getTime() + days * DAY_MS);
  }

  async loginWithPassword(selector: UserSelector, password: PasswordInput): Promise<LoginResult> {
    const user =
      'username' in selector
        ? await this.store.users.findByUsername(selector.username)
        : 'email' in selector
          ? await this.store.users.findByEmail(selector.email)
          : await this.store.users.findById(selector.id);
    const hash = user?.services?.password?.bcrypt;
    const digest = 'digest' in password ? password.digest.toLowerCase() : sha256Hex(password.plain);
    // Compare even without a user, so both failures take the same time.
    const ok = await verifyDigest(digest, hash ?? (await this.#dummyHash()));
    if (!user || !hash || !ok) throw badCredentials();
    assertActive(user);
    const token = randomSecret();
    const hashedToken = hashLoginToken(token);
    const when = new Date();
    await this.store.users.addLoginToken(user._id, { when, hashedToken });
    return { user, token, hashedToken, tokenExpires: this.#expiry(when), type: 'password' };
  }

  async loginWithResume(token: string): Promise<LoginResult> {
    const hashedToken = hashLoginToken(token);
    const found = await this.store.users.findByLoginToken(hashedToken);
    if (!found) {
      throw new UnauthenticatedError('403', "You've been logged out by the server. Please log in again.", null);
    }
    const tokenExpires = this.#expiry(found.token.when);
    if (tokenExpires.getTime() <= Date.now()) {
      throw new UnauthenticatedError('403', 'Your session has expired. Please log in again.', null);
    }
    assertActive(found.user);
    return { user: found.user, token, hashedToken, tokenExpires, type: 'resume' };
  }

  /** Forgets the token so that it cannot be resumed anywhere. */
  async logout(userId: string, hashedToken: string): Promise<void> {
    await this.store.users.removeLoginToken(userId, hashedToken);
  }
}

function assertActive(user: User): void {
  if (user.active !== true) {
    throw new ForbiddenError('error-user-is-not-activated', 'User is not activated', {
      function: 'Accounts.validateLoginAttempt',
    });
  }
}

