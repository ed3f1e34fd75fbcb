import { ConflictError, ForbiddenError, InvalidArgumentError, PreconditionError, UnauthenticatedError } from '../domain/errors.js';
import type { Room, User } from '../domain/types.js';
import { randomSecret } from '../lib/random.js';
import type { Patch, Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import { hashPassword } from './passwords.js';
import type { PermissionsService } from './permissions-service.js';
import { lastOwnerError, relinquishRooms, roomsNeedingOwner } from './room-ownership.js';
import type { RoomsService } from './rooms-service.js';
import type { SettingsService } from './settings-service.js';
import { type UsersService, validEmail } from './users-service.js';

/** insertOrUpdateUser's data (Rocket.Chat's SaveUserData): `_id` present = an update. */
export interface SaveUserData {
  _id?: string;
  username?: string;
  name?: string;
  email?: string;
  password?: string;
  setRandomPassword?: boolean;
  requirePasswordChange?: boolean;
  verified?: boolean;
  bio?: string;
  nickname?: string;
  statusText?: string;
  roles?: string[];
  joinDefaultChannels?: boolean;
}

const M = 'insertOrUpdateUser';
const notAllowed = (reason: string, action: string) => new ForbiddenError('error-action-not-allowed', reason, { method: M, action });
const required = (field: string) => new InvalidArgumentError('error-the-field-is-required', `The field ${field} is required`, { method: M, field });
const changed = (before: string | undefined, after: string | undefined) => after !== undefined && after !== before;

/**
 * Administration of accounts (Rocket.Chat's saveUser, setUserActiveStatus, deleteUser): creating
 * and editing users with the permission and setting rules, (de)activating, deleting.
 */
export class UserAdminService {
  readonly #store: Store;
  readonly #settings: SettingsService;
  readonly #permissions: PermissionsService;
  readonly #events: ChatEvents;
  readonly #users: UsersService;
  readonly #rooms: RoomsService;
  readonly #bcryptCost: number;

  constructor(deps: {
    store: Store;
    settings: SettingsService;
    permissions: PermissionsService;
    events: ChatEvents;
    users: UsersService;
    rooms: RoomsService;
    bcryptCost: number;
  }) {
    this.#store = deps.store;
    this.#settings = deps.settings;
    this.#permissions = deps.permissions;
    this.#events = deps.events;
    this.#users = deps.users;
    this.#rooms = deps.rooms;
    this.#bcryptCost = deps.bcryptCost;
  }

  async #can(userId: string, permission: string): Promise<boolean> {
    return this.#permissions.hasPermission(await this.#store.users.findById(userId), permission);
  }

  /** saveUser: creates (no `_id`) or edits a user; returns its id. */
  async save(callerId: string, input: SaveUserData): Promise<string> {
    const data = { ...input };
    const update = Boolean(data._id);
    await this.#validate(callerId, data, update);
    if (data.setRandomPassword) {
      data.password = randomSecret(20);
      data.requirePasswordChange = true;
    }
    if (!update) {
      const user = await this.#users.create(
        {
          username: data.username!,
          password: data.password!,
          ...(data.email ? { email: data.email } : {}),
          ...(data.name !== undefined ? { name: data.name } : {}),
          roles: data.roles?.length ? data.roles : ['user'],
          ...pick(data, ['bio', 'nickname', 'requirePasswordChange', 'verified']),
        },
        { joinDefaultRooms: data.joinDefaultChannels !== false },
      );
      return user._id;
    }
    await this.#update(callerId, data as SaveUserData & { _id: string });
    return data._id!;
  }

  /** validateUserData, in Rocket.Chat's order. */
  async #validate(callerId: string, d: SaveUserData, update: boolean): Promise<void> {
    if (d.verified && update && callerId === d._id) throw notAllowed('Editing email verification is not allowed', 'Editing_user');
    if (update && callerId !== d._id && !(await this.#can(callerId, 'edit-other-user-info'))) throw notAllowed('Editing user is not allowed', 'Editing_user');
    if (!update && !(await this.#can(callerId, 'create-user'))) throw notAllowed('Adding user is not allowed', 'Adding_user');
    if (d.roles) {
      const known = new Set((await this.#store.roles.list()).map((r) => r._id));
      if (d.roles.some((r) => !known.has(r))) throw notAllowed('The field Roles consist invalid role id', 'Assign_role');
      if (d.roles.includes('admin') && !(await this.#can(callerId, 'assign-admin-role'))) throw notAllowed('Assigning admin is not allowed', 'Assign_admin');
    }
    if (this.#settings.bool('Accounts_RequireNameForSignUp') && !update && !d.name?.trim()) throw required('Name');
    if (!update && !d.username?.trim()) throw required('Username');
    if (d.username && !this.#users.validUsername(d.username)) {
      throw new InvalidArgumentError('error-input-is-not-a-valid-field', `${escapeHtml(d.username)} is not a valid username`, { method: M, input: d.username, field: 'Username' });
    }
    if (!update && !d.password && !d.setRandomPassword) throw required('Password');
    if (!update) {
      if (d.username && (await this.#store.users.findByUsername(d.username))) throw unavailable(d.username);
      if (d.email && (await this.#store.users.findByEmail(d.email))) throw unavailable(d.email);
    }
  }

  /** validateUserEditing, then the changes. */
  async #update(callerId: string, d: SaveUserData & { _id: string }): Promise<void> {
    const user = await this.#store.users.findById(d._id);
    if (!user) throw new UnauthenticatedError('error-invalid-user', 'Invalid user');
    const myself = callerId === d._id;
    const [otherInfo, otherPassword] = [await this.#can(callerId, 'edit-other-user-info'), await this.#can(callerId, 'edit-other-user-password')];
    const rolesChanged = d.roles !== undefined && (d.roles.some((r) => !user.roles.includes(r)) || user.roles.some((r) => !d.roles!.includes(r)));
    if (rolesChanged && !(await this.#can(callerId, 'assign-roles'))) throw notAllowed('Assign roles is not allowed', 'Assign_role');
    const s = (id: string) => this.#settings.bool(id);
    if (!s('Accounts_AllowUserProfileChange') && !otherInfo && !otherPassword) throw notAllowed('Edit user profile is not allowed', 'Update_user');
    const byOther = otherInfo && !myself;
    if (changed(user.username, d.username) && !s('Accounts_AllowUsernameChange') && !byOther) throw notAllowed('Edit username is not allowed', 'Update_user');
    if (changed(user.statusText, d.statusText) && !s('Accounts_AllowUserStatusMessageChange') && !byOther) throw notAllowed('Edit user status is not allowed', 'Update_user');
    if (changed(user.name, d.name) && !s('Accounts_AllowRealNameChange') && !byOther) throw notAllowed('Edit user real name is not allowed', 'Update_user');
    if (user.emails?.[0] && changed(user.emails[0].address, d.email) && !s('Accounts_AllowEmailChange') && !byOther) throw notAllowed('Edit user email is not allowed', 'Update_user');
    if (d.password && !s('Accounts_AllowPasswordChange') && (!otherPassword || myself)) throw notAllowed('Edit user password is not allowed', 'Update_user');

    // Decision: a username is not renamed everywhere it is copied (rooms, subscriptions, messages), so it cannot change.
    if (changed(user.username, d.username)) throw new PreconditionError('error-could-not-save-identity', 'Could not save user identity', { method: 'saveUser' });
    const set: Partial<User> = {};
    const unset: Array<keyof User & string> = [];
    if (d.name !== undefined) set.name = d.name;
    if (typeof d.statusText === 'string') set.statusText = d.statusText;
    if (d.email) set.emails = [{ address: await this.#freeEmail(d.email, d._id), verified: d.verified === true }];
    else if (typeof d.verified === 'boolean' && user.emails?.[0]) set.emails = [{ ...user.emails[0], verified: d.verified }, ...user.emails.slice(1)];
    for (const k of ['bio', 'nickname'] as const) {
      if (typeof d[k] !== 'string') continue;
      if (d[k].trim()) set[k] = d[k].trim();
      else unset.push(k);
    }
    if (d.roles) set.roles = d.roles;
    if (d.requirePasswordChange !== undefined) set.requirePasswordChange = d.requirePasswordChange;
    const patch: Patch<User> = { set, unset };
    if (d.password?.trim() && otherPassword) {
      set.services = { ...user.services, password: { bcrypt: await hashPassword(d.password.trim(), this.#bcryptCost) } };
    }
    await this.#store.users.update(d._id, patch);
    this.#events.userChanged(d._id);
  }

  /** setEmail's checks: a valid address no other user holds. */
  async #freeEmail(email: string, userId: string): Promise<string> {
    const address = email.trim().toLowerCase();
    if (!validEmail(address)) throw new InvalidArgumentError('error-invalid-email', 'Invalid email', { function: 'RocketChat.setEmail', email });
    const holder = await this.#store.users.findByEmail(address);
    if (holder && holder._id !== userId) throw new ConflictError('error-field-unavailable', `${escapeHtml(email)} is already in use :(`, { function: 'RocketChat.setEmail', field: email });
    return address;
  }

  /**
   * setUserActiveStatus: (de)activates a user. Deactivating refuses to leave no active admin,
   * hands over (or, with nobody left, erases) rooms the user alone owns once confirmed, ends every
   * session, and makes the user's DMs read-only. Returns false for an unknown user.
   */
  async setActiveStatus(callerId: string, userId: string, active: boolean, confirmRelinquish = false): Promise<boolean> {
    if (!(await this.#can(callerId, 'edit-other-user-active-status'))) {
      throw new ForbiddenError('error-action-not-allowed', 'Not allowed', { method: 'setUserActiveStatus' });
    }
    const user = await this.#store.users.findById(userId);
    if (!user) return false;
    if (user.username !== undefined && !active) {
      if (user.roles.includes('admin') && (await this.#activeAdmins()) === 1) {
        throw new ForbiddenError('error-action-not-allowed', 'Leaving the app without an active admin is not allowed', { method: 'removeUserFromRole', action: 'Remove_last_admin' });
      }
      await this.#handOver(userId, confirmRelinquish);
    }
    const patch: Patch<User> = { set: { active } };
    if (!active) patch.set!.services = { ...user.services, resume: { loginTokens: [] } };
    await this.#store.users.update(userId, patch);
    this.#events.userChanged(userId, { logout: !active });
    if (user.username !== undefined) await this.#directMessagesOf(userId, active);
    return true;
  }

  /** The user's 1:1 DMs become read-only (or writable again); the other side sees them archived. */
  async #directMessagesOf(userId: string, active: boolean): Promise<void> {
    for (const room of await this.#store.rooms.listForUser(userId)) {
      if (room.t !== 'd' || room.uids?.length !== 2) continue;
      const updated = await this.#store.rooms.update(room._id, { set: { ro: !active } });
      if (updated) this.#events.roomChanged('updated', updated);
      for (const sub of await this.#store.subscriptions.listByRoom(room._id)) {
        if (sub.u._id === userId) continue;
        const changedSub = await this.#store.subscriptions.update(sub._id, { set: { archived: !active } });
        if (changedSub) this.#events.subscriptionChanged('updated', changedSub);
      }
    }
  }

  async #activeAdmins(): Promise<number> {
    return (await this.#store.users.listByRoles(['admin'])).filter((u) => u.active).length;
  }

  /** Rooms the user alone owns: refused unless confirmed, then handed over or erased. */
  async #handOver(userId: string, confirmRelinquish: boolean): Promise<void> {
    const fates = await roomsNeedingOwner(this.#store, userId);
    if (fates.length > 0 && !confirmRelinquish) throw await lastOwnerError(this.#store, fates);
    await relinquishRooms({ store: this.#store, events: this.#events, rooms: this.#rooms }, fates);
  }

  /**
   * deleteUser: the user, its subscriptions, its 1:1 DMs and (Message_ErasureType `Delete`) its
   * messages go; group DMs lose it; rooms it alone owned are handed over or erased once confirmed.
   */
  async remove(callerId: string, userId: string, confirmRelinquish = false): Promise<void> {
    const method = 'deleteUser';
    if (!(await this.#can(callerId, 'delete-user'))) throw new ForbiddenError('error-not-allowed', 'Not allowed', { method });
    const user = await this.#store.users.findById(userId);
    if (!user) throw new InvalidArgumentError('error-invalid-user', 'Invalid user to delete', { method });
    if (user.type === 'app') throw new PreconditionError('error-cannot-delete-app-user', 'Deleting app user is not allowed', { method });
    if (user.roles.includes('admin') && (await this.#activeAdmins()) === 1) {
      throw new ForbiddenError('error-action-not-allowed', 'Leaving the app without admins is not allowed', { method, action: 'Remove_last_admin' });
    }
    await this.#handOver(userId, confirmRelinquish);
    const erasure = this.#settings.string('Message_ErasureType');
    if (user.username !== undefined) {
      if (erasure === 'Delete') await this.#deleteMessages(userId);
      await this.#leaveEverything(user);
    }
    await this.#store.users.delete(userId);
    this.#events.userChanged(userId, { logout: true });
    if (erasure === 'Delete') this.#events.loggedEvent('Users:Deleted', [{ userId, messageErasureType: erasure }]);
  }

  async #deleteMessages(userId: string): Promise<void> {
    for (const rid of await this.#store.messages.deleteByUser(userId)) {
      const room = await this.#store.rooms.findById(rid);
      if (room?.lastMessage?.u._id !== userId) continue;
      const last = await this.#store.messages.findLastVisible(rid);
      const updated = await this.#store.rooms.update(rid, last ? { set: { lastMessage: last } } : { unset: ['lastMessage'] });
      if (updated) this.#events.roomChanged('updated', updated);
    }
  }

  /** 1:1 DMs are erased, group DMs lose the user, every other subscription goes. */
  async #leaveEverything(user: User): Promise<void> {
    for (const sub of await this.#store.subscriptions.listByUser(user._id)) {
      const room = await this.#store.rooms.findById(sub.rid);
      if (room?.t === 'd' && (room.uids?.length ?? 0) <= 2) {
        await this.#rooms.destroy(room);
        continue;
      }
      const removed = await this.#store.subscriptions.delete(sub._id);
      if (removed) this.#events.subscriptionChanged('removed', removed);
      if (!room) continue;
      const patch: Patch<Room> = { inc: { usersCount: -1 } };
      if (room.t === 'd') patch.pull = { uids: user._id, usernames: user.username ?? '' };
      const updated = await this.#store.rooms.update(room._id, patch);
      if (updated) this.#events.roomChanged('updated', updated);
    }
  }
}

const unavailable = (value: string) => new ConflictError('error-field-unavailable', `${escapeHtml(value)} is already in use :(`, { method: M, field: value });

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
