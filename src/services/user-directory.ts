import { ForbiddenError } from '../domain/errors.js';
import type { User } from '../domain/types.js';
import type { Page, Store, UserFilterField, UserSortField } from '../store/store.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';

/** Fields never shown to a caller without view-full-other-user-info (Rocket.Chat's limitedUserFieldsToExclude). */
const LIMITED_HIDDEN = new Set([
  'emails', 'phone', 'statusConnection', 'createdAt', 'lastLogin', 'services', 'requirePasswordChange',
  'requirePasswordChangeReason', 'roles', 'statusDefault', '_updatedAt', 'settings', 'inviteToken',
]);
/** Fields never shown, whoever asks (secrets and internals). */
const ALWAYS_HIDDEN = new Set(['services', 'inviteToken', 'joinCode', 'members', 'importIds', 'e2e']);

/** users.info's fields for anyone (getFullUserData's defaultFields), and the extra ones for the privileged or oneself. */
const INFO_FIELDS = ['_id', 'name', 'username', 'nickname', 'status', 'utcOffset', 'type', 'active', 'bio', 'reason', 'statusText', 'avatarETag', 'federated'];
const INFO_FULL_FIELDS = ['emails', 'phone', 'statusConnection', 'createdAt', 'lastLogin', 'requirePasswordChange', 'requirePasswordChangeReason', 'roles'];

/** What users.list may filter and sort by, for each kind of caller. */
export const LIST_FILTER_FIELDS: Record<'limited' | 'full', readonly UserFilterField[]> = {
  limited: ['_id', 'username', 'name', 'status', 'active', 'type'],
  full: ['_id', 'username', 'name', 'status', 'active', 'type', 'roles'],
};
export const LIST_SORT_FIELDS: readonly UserSortField[] = ['username', 'name', 'status', 'active', 'type', 'createdAt'];

/**
 * A user as a caller may see it: secrets never; with `privileged` false, only the public fields;
 * with `fields` (an inclusion projection), only those of the visible ones (and `_id`).
 */
export function visibleUser(user: User, privileged: boolean, fields?: Record<string, 0 | 1>): Record<string, unknown> {
  const include = fields && Object.entries(fields).some(([, v]) => v === 1) ? new Set(Object.keys(fields).filter((k) => fields[k] === 1)) : undefined;
  const exclude = fields && !include ? new Set(Object.keys(fields)) : undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(user)) {
    if (v === undefined || ALWAYS_HIDDEN.has(k) || (!privileged && LIMITED_HIDDEN.has(k))) continue;
    if (k !== '_id' && ((include && !include.has(k)) || exclude?.has(k))) continue;
    out[k] = v;
  }
  return out;
}

export interface UserListRequest {
  filter?: Partial<Record<UserFilterField, string | number | boolean>>;
  sort?: Record<string, 1 | -1>;
  fields?: Record<string, 0 | 1>;
  page: Page;
}

/** users.info and users.list: finding users and showing each caller only what it may see. */
export class UserDirectory {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly permissions: PermissionsService,
  ) {}

  /** Whether the caller sees other users' full records (view-full-other-user-info). */
  async privileged(caller: User): Promise<boolean> {
    return this.permissions.hasPermission(caller, 'view-full-other-user-info');
  }

  /** getFullUserDataByIdOrUsername: one user, its private fields only for itself or the privileged; undefined when unknown. */
  async info(caller: User, key: { userId: string } | { username: string }, opts: { userRooms?: boolean } = {}): Promise<Record<string, unknown> | undefined> {
    const value = 'userId' in key ? key.userId : key.username;
    const myself = 'userId' in key ? value === caller._id : value === caller.username;
    const full = myself || (await this.privileged(caller));
    const user = (await this.store.users.findById(value)) ?? (await this.store.users.findByUsername(value));
    if (!user || (user._id !== value && user.username !== value)) return undefined;
    const doc = user as unknown as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of full ? [...INFO_FIELDS, ...INFO_FULL_FIELDS] : INFO_FIELDS) if (doc[k] !== undefined) out[k] = doc[k];
    if (opts.userRooms && (user._id === caller._id || (await this.permissions.hasPermission(caller, 'view-other-user-channels')))) {
      const subs = await this.store.subscriptions.listByUser(user._id);
      out.rooms = subs
        .map((s) => pickDefined(s, ['_id', 'rid', 'name', 't', 'roles', 'unread', 'federated']))
        .sort((a, b) => cmp(String(a.t), String(b.t)) || cmp(String(a.name ?? ''), String(b.name ?? '')));
    }
    return out;
  }

  /** users.list: callers with view-d-room (and view-outside-room when the setting asks), paged. */
  async list(caller: User, req: UserListRequest): Promise<{ users: Array<Record<string, unknown>>; total: number }> {
    const refuse = () => new ForbiddenError('error-unauthorized', 'User does not have the permissions required for this action', null);
    if (!(await this.permissions.hasPermission(caller, 'view-d-room'))) throw refuse();
    if (this.settings.bool('API_Apply_permission_view-outside-room_on_users-list') && !(await this.permissions.hasPermission(caller, 'view-outside-room'))) {
      throw refuse();
    }
    const privileged = await this.privileged(caller);
    const filter: Partial<Record<UserFilterField, string | boolean>> = {};
    for (const [k, v] of Object.entries(req.filter ?? {}) as Array<[UserFilterField, string | number | boolean]>) filter[k] = typeof v === 'number' ? String(v) : v;
    const sort = Object.entries(req.sort ?? {}) as Array<[UserSortField, 1 | -1]>;
    const { total, records } = await this.store.users.list({ filter, sort, page: { skip: req.page.skip, limit: req.page.limit } });
    return { users: records.map((u) => visibleUser(u, privileged, req.fields)), total };
  }
}

function pickDefined(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
