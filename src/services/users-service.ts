import { ConflictError, InvalidArgumentError, PreconditionError } from '../domain/errors.js';
import type { User } from '../domain/types.js';
import { randomId } from '../lib/random.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { MembershipService } from './membership-service.js';
import { hashPassword, passwordPolicyViolation, type PasswordPolicy } from './passwords.js';
import type { SettingsService } from './settings-service.js';

export interface NewUser {
  username: string;
  email?: string;
  password: string;
  name?: string;
  roles?: string[];
  type?: User['type'];
  active?: boolean;
  bio?: string;
  nickname?: string;
  statusText?: string;
  requirePasswordChange?: boolean;
  /** The email counts as verified. */
  verified?: boolean;
}

export interface RegistrationForm {
  email: string;
  pass: string;
  name: string;
  username?: string;
  secretURL?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** The length is checked first: the pattern backtracks quadratically on long inputs (RFC 5321 caps addresses at 254). */
export const validEmail = (email: string): boolean => email.length <= 254 && EMAIL.test(email);

/** Accounts: creation (admin, CLI, first start), registration, roles listing, password reset. */
export class UsersService {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly events: ChatEvents,
    private readonly membership: MembershipService,
    private readonly bcryptCost: number,
  ) {}

  validUsername(username: string): boolean {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`^${this.settings.string('UTF8_User_Names_Validation')}$`);
    } catch {
      pattern = /^[0-9a-zA-Z-_.]+$/;
    }
    return username.length > 0 && username.length <= 255 && pattern.test(username);
  }

  /** Creates an active user and joins it to the default rooms. */
  async create(input: NewUser, opts: { joinDefaultRooms?: boolean } = {}): Promise<User> {
    if (!this.validUsername(input.username)) {
      throw new InvalidArgumentError(
        'username-invalid',
        `${input.username} is not a valid username, use only letters, numbers, dots, hyphens and underscores`,
      );
    }
    if (input.email !== undefined && !validEmail(input.email)) {
      throw new InvalidArgumentError('error-invalid-email', `Invalid email ${input.email}`);
    }
    const now = new Date();
    const user: User = {
      _id: randomId(),
      createdAt: now,
      username: input.username,
      type: input.type ?? 'user',
      roles: input.roles ?? ['user'],
      active: input.active ?? true,
      status: 'offline',
      services: { password: { bcrypt: await hashPassword(input.password, this.bcryptCost) } },
      _updatedAt: now,
    };
    if (input.name !== undefined) user.name = input.name;
    if (input.email !== undefined) user.emails = [{ address: input.email.toLowerCase(), verified: input.verified === true }];
    for (const k of ['bio', 'nickname', 'statusText'] as const) if (input[k]?.trim()) user[k] = input[k].trim();
    if (input.requirePasswordChange !== undefined) user.requirePasswordChange = input.requirePasswordChange;
    try {
      await this.store.users.insert(user);
    } catch (err) {
      if (err instanceof DuplicateKeyError) {
        if (err.key === 'email') throw new ConflictError('403', 'Email already exists.', null);
        throw new ConflictError('error-field-unavailable', `${input.username} is already in use :(`, {
          field: input.username,
        });
      }
      throw err;
    }
    if (opts.joinDefaultRooms !== false) await this.joinDefaultRooms(user);
    return user;
  }

  async joinDefaultRooms(user: User): Promise<void> {
    for (const room of await this.store.rooms.listDefault()) await this.membership.addUser(room, user);
  }

  /** `registerUser` (accounts.md): the checks after the type check, then creation. */
  async register(form: RegistrationForm): Promise<string> {
    const mode = this.settings.string('Accounts_RegistrationForm');
    if (mode === 'Disabled') {
      throw new PreconditionError('error-user-registration-disabled', 'User registration is disabled');
    }
    if (mode === 'Secret URL' && (!form.secretURL || form.secretURL !== this.settings.string('Accounts_RegistrationForm_SecretURL'))) {
      throw new PreconditionError('error-user-registration-secret', 'User registration is only allowed via Secret URL');
    }
    const violation = passwordPolicyViolation(form.pass, this.#passwordPolicy());
    if (violation) throw new InvalidArgumentError(violation.code, violation.reason);
    const email = form.email.trim().toLowerCase();
    if (!validEmail(email)) {
      throw new InvalidArgumentError('error-invalid-email', `Invalid email ${form.email}`, {
        function: 'RocketChat.validateEmailDomain',
        email: form.email,
      });
    }
    if (await this.store.users.findByEmail(email)) throw new ConflictError('403', 'Email already exists.', null);
    // Orbit keeps the username a DDP-only client chose (Rocket.Chat asks for it at first login).
    const username = form.username || (await this.#usernameFromEmail(email));
    const user = await this.create({ username, email, password: form.pass, name: form.name.trim() });
    return user._id;
  }

  #passwordPolicy(): PasswordPolicy {
    const s = this.settings;
    const p = 'Accounts_Password_Policy_';
    return {
      enabled: s.bool(`${p}Enabled`),
      minLength: s.int(`${p}MinLength`),
      maxLength: s.int(`${p}MaxLength`),
      forbidRepeatingCharacters: s.bool(`${p}ForbidRepeatingCharacters`),
      forbidRepeatingCharactersCount: s.int(`${p}ForbidRepeatingCharactersCount`),
      atLeastOneLowercase: s.bool(`${p}AtLeastOneLowercase`),
      atLeastOneUppercase: s.bool(`${p}AtLeastOneUppercase`),
      atLeastOneNumber: s.bool(`${p}AtLeastOneNumber`),
      atLeastOneSpecialCharacter: s.bool(`${p}AtLeastOneSpecialCharacter`),
    };
  }

  async #usernameFromEmail(email: string): Promise<string> {
    const base = (email.split('@')[0] ?? '').replace(/[^0-9a-zA-Z\-_.]/g, '') || 'user';
    for (let i = 0; ; i++) {
      const candidate = i === 0 ? base : `${base}${i}`;
      if (!(await this.store.users.findByUsername(candidate))) return candidate;
    }
  }

  /** Users with a global role other than `user` whose role has a description (getUserRoles). */
  async privilegedUsers(publicRoles: readonly string[]): Promise<Array<Pick<User, '_id' | 'username' | 'roles'>>> {
    const users = await this.store.users.listByRoles(publicRoles);
    return users
      .map((u) => ({ _id: u._id, username: u.username, roles: u.roles.filter((r) => publicRoles.includes(r)) }))
      .sort((a, b) => ((a.username ?? '') < (b.username ?? '') ? -1 : (a.username ?? '') > (b.username ?? '') ? 1 : 0));
  }

  /** Sets a new password and forgets every resume token of the user (all its sessions end). */
  async resetPassword(username: string, password: string): Promise<User> {
    const user = await this.store.users.findByUsername(username);
    if (!user) throw new InvalidArgumentError('error-invalid-user', 'Invalid user');
    const bcrypt = await hashPassword(password, this.bcryptCost);
    const updated = await this.store.users.update(user._id, {
      set: { services: { ...user.services, password: { bcrypt }, resume: { loginTokens: [] } } },
    });
    this.events.userChanged(user._id, { logout: true });
    return updated ?? user;
  }

  async setActive(userId: string, active: boolean): Promise<void> {
    await this.store.users.update(userId, { set: { active } });
    this.events.userChanged(userId, { logout: !active });
  }
}
