import { timingSafeEqual } from 'node:crypto';
import { ForbiddenError, InvalidArgumentError, PreconditionError } from '../domain/errors.js';
import type { Integration, User } from '../domain/types.js';
import { randomId } from '../lib/random.js';
import type { Page, Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { MessagePosting, PostPayload, Posted } from './message-posting.js';
import type { PermissionsService } from './permissions-service.js';

/** integrations.create's body for an incoming webhook (Rocket.Chat's INewIncomingIntegration). */
export type NewIncomingIntegration = Pick<Integration, 'name' | 'enabled' | 'username' | 'alias' | 'avatar' | 'emoji' | 'scriptEnabled' | 'script' | 'scriptEngine'> & {
  /** One or more targets, comma-separated, each `#room` or `@user`. */
  channel: string;
  overrideDestinationChannelEnabled?: boolean;
};

/** What a webhook call did: nothing (empty body), or the messages it posted. */
export type HookOutcome = { posted: Posted[] } | { disabled: true };

const MANAGE_ALL = 'manage-incoming-integrations';
const MANAGE_OWN = 'manage-own-incoming-integrations';
/** Any of these lets a caller reach integrations.list / integrations.remove (Rocket.Chat checks the outgoing ones too). */
const ANY_INTEGRATION_PERMISSION = ['manage-outgoing-integrations', 'manage-own-outgoing-integrations', MANAGE_ALL, MANAGE_OWN];

const methodError = (code: string, reason: string, method: string) => new ForbiddenError(code, reason, { method });
const invalidChannel = (method = 'addIncomingIntegration') => new InvalidArgumentError('error-invalid-channel', 'Invalid channel', { method });

/** Equal strings, compared in time independent of where they differ. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Incoming webhooks (Rocket.Chat's addIncomingIntegration / deleteIncomingIntegration and
 * `/hooks/:id/:token`): who may create, list and remove them, and what a call posts.
 */
export class IntegrationsService {
  readonly #store: Store;
  readonly #permissions: PermissionsService;
  readonly #events: ChatEvents;
  readonly #posting: MessagePosting;

  constructor(deps: { store: Store; permissions: PermissionsService; events: ChatEvents; posting: MessagePosting }) {
    this.#store = deps.store;
    this.#permissions = deps.permissions;
    this.#events = deps.events;
    this.#posting = deps.posting;
  }

  /** addIncomingIntegration: checks, makes its user a bot, stores it with a new token. */
  async createIncoming(userId: string, input: NewIncomingIntegration): Promise<Integration> {
    const method = 'addIncomingIntegration';
    const caller = await this.#store.users.findById(userId);
    const [all, own] = await Promise.all([this.#permissions.hasPermission(caller, MANAGE_ALL), this.#permissions.hasPermission(caller, MANAGE_OWN)]);
    if (!caller || (!all && !own)) throw methodError('not_authorized', 'Unauthorized', method);
    if (input.channel.trim() === '') throw invalidChannel();
    const channels = input.channel.split(',').map((c) => c.trim());
    if (channels.some((c) => c[0] !== '#' && c[0] !== '@')) {
      // Rocket.Chat names the update method here.
      throw new InvalidArgumentError('error-invalid-channel-start-with-chars', 'Invalid channel. Start with @ or #', { method: 'updateIncomingIntegration' });
    }
    if (input.username.trim() === '') throw new InvalidArgumentError('error-invalid-username', 'Invalid username', { method });
    // Decision: Orbit runs no integration scripts; one that needs its script is refused rather than silently ignored.
    if (input.scriptEnabled && input.script?.trim()) {
      throw new PreconditionError('error-scripts-not-supported', 'Integration scripts are not supported', { method });
    }
    const user = await this.#store.users.findByUsername(input.username);
    if (!user || user.username !== input.username) throw new InvalidArgumentError('error-invalid-user', 'Invalid user', { method });
    for (const channel of channels) await this.#checkTarget(caller, channel, all && own);

    await this.#makeBot(user);
    const integration: Integration = {
      _id: randomId(),
      type: 'webhook-incoming',
      name: input.name,
      enabled: input.enabled,
      username: input.username,
      userId: user._id,
      channel: channels,
      scriptEnabled: input.scriptEnabled,
      scriptEngine: input.scriptEngine ?? 'isolated-vm',
      overrideDestinationChannelEnabled: input.overrideDestinationChannelEnabled ?? false,
      token: randomId(48),
      _createdAt: new Date(),
      _createdBy: { _id: caller._id, ...(caller.username ? { username: caller.username } : {}) },
      _updatedAt: new Date(),
    };
    for (const k of ['alias', 'avatar', 'emoji', 'script'] as const) if (input[k]) integration[k] = input[k];
    return this.#store.integrations.insert(integration);
  }

  /** A target must exist; a caller without both manage permissions must be a member of it. */
  async #checkTarget(caller: User, channel: string, managesAll: boolean): Promise<void> {
    const key = channel.slice(1);
    let targetId: string | undefined;
    if (channel[0] === '#') {
      targetId = ((await this.#store.rooms.findById(key)) ?? (await this.#store.rooms.findByName(key)))?._id;
    } else {
      const u = (await this.#store.users.findById(key)) ?? (await this.#store.users.findByUsername(key));
      targetId = u && (u._id === key || u.username === key) ? u._id : undefined;
    }
    if (!targetId) throw new InvalidArgumentError('error-invalid-room', 'Invalid room', { method: 'addIncomingIntegration' });
    // Rocket.Chat's check, kept as is: for `@user` it looks for a subscription to the user's id.
    if (!managesAll && !(await this.#store.subscriptions.findByRoomAndUser(targetId, caller._id))) {
      throw new InvalidArgumentError('error-invalid-channel', 'Invalid Channel', { method: 'addIncomingIntegration' });
    }
  }

  async #makeBot(user: User): Promise<void> {
    if (user.roles.includes('bot')) return;
    await this.#store.users.update(user._id, { addToSet: { roles: 'bot' } });
    this.#events.userChanged(user._id);
  }

  /** integrations.list / .remove let in a caller holding any integration permission (else 403). */
  async assertMayManageAny(user: User): Promise<void> {
    for (const p of ANY_INTEGRATION_PERMISSION) if (await this.#permissions.hasPermission(user, p)) return;
    throw new ForbiddenError('error-unauthorized', 'User does not have the permissions required for this action', null);
  }

  /** The incoming webhooks the caller may see: all with manage-incoming, else its own, else none. */
  async listIncoming(user: User, page: Page): Promise<{ total: number; records: Integration[] }> {
    if (await this.#permissions.hasPermission(user, MANAGE_ALL)) return this.#store.integrations.list({ type: 'webhook-incoming' }, page);
    if (await this.#permissions.hasPermission(user, MANAGE_OWN)) {
      return this.#store.integrations.list({ type: 'webhook-incoming', createdBy: user._id }, page);
    }
    return { total: 0, records: [] };
  }

  /**
   * deleteIncomingIntegration: any webhook with manage-incoming, one's own with manage-own.
   * `unknownAs: 'plain'` answers an unknown id the way integrations.remove does.
   */
  async removeIncoming(userId: string, integrationId: string, opts: { unknownAs?: 'plain' } = {}): Promise<Integration> {
    const method = 'deleteIncomingIntegration';
    const existing = await this.#store.integrations.findById(integrationId);
    if (!existing && opts.unknownAs === 'plain') throw new InvalidArgumentError('No integration found.');
    const caller = await this.#store.users.findById(userId);
    let integration: Integration | undefined;
    if (await this.#permissions.hasPermission(caller, MANAGE_ALL)) integration = existing;
    else if (await this.#permissions.hasPermission(caller, MANAGE_OWN)) integration = existing?._createdBy._id === userId ? existing : undefined;
    else throw methodError('not_authorized', 'Unauthorized', method);
    if (!integration || integration.type !== 'webhook-incoming') {
      throw new InvalidArgumentError('error-invalid-integration', 'Invalid integration', { method });
    }
    await this.#store.integrations.delete(integration._id);
    return integration;
  }

  /** The webhook with this id and token (the token compared in constant time), or undefined. */
  async authenticate(integrationId: string, token: string): Promise<Integration | undefined> {
    const integration = await this.#store.integrations.findById(integrationId);
    // A missing id costs the same comparison as a wrong token.
    const expected = integration?.token ?? randomId(48);
    const ok = sameSecret(expected, token);
    return ok && integration?.type === 'webhook-incoming' ? integration : undefined;
  }

  /** A webhook call: the payload posted as the webhook's user, with its defaults. */
  async execute(integration: Integration, payload: PostPayload, opts: { empty?: boolean } = {}): Promise<HookOutcome> {
    if (integration.enabled !== true) return { disabled: true };
    if (opts.empty ?? Object.keys(payload).length === 0) return { posted: [] };
    if ((payload.channel || payload.roomId) && !integration.overrideDestinationChannelEnabled) {
      throw new PreconditionError('overriding destination channel is disabled for this integration');
    }
    const posted = await this.#posting.post(
      integration.userId,
      { ...payload, bot: { i: integration._id } },
      { channel: integration.channel, alias: integration.alias, avatar: integration.avatar, emoji: integration.emoji },
    );
    if (posted.length === 0) throw new PreconditionError('unknown-error');
    return { posted };
  }
}
