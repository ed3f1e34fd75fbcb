import { InvalidArgumentError } from '../domain/errors.js';
import type { Message, Room, User } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { DirectMessagesService } from './direct-messages-service.js';
import type { MembershipService } from './membership-service.js';
import type { MessagesService } from './messages-service.js';
import type { SettingsService } from './settings-service.js';

/** What chat.postMessage and an incoming webhook send (Slack's names beside Rocket.Chat's). */
export interface PostPayload {
  channel?: string | string[];
  roomId?: string | string[];
  text?: string;
  msg?: string;
  /** Slack's name for `alias`. */
  username?: string;
  alias?: string;
  icon_emoji?: string;
  emoji?: string;
  icon_url?: string;
  avatar?: string;
  attachments?: Array<Record<string, unknown>>;
  parseUrls?: boolean;
  bot?: Record<string, unknown>;
  groupable?: boolean;
  tmid?: string;
  customFields?: Record<string, unknown>;
}

/** An integration's defaults (its channel, alias, avatar, emoji). */
export interface PostDefaults {
  channel: string | string[];
  alias?: string;
  avatar?: string;
  emoji?: string;
}

export interface Posted {
  channel: string;
  message: Message;
}

/** Rocket.Chat's `Meteor.Error('invalid-channel')`: a Meteor error without a reason (`[invalid-channel]`). */
const invalidChannel = () => new InvalidArgumentError('invalid-channel', '', null);

const nonEmpty = (v: string | undefined): string | undefined => (v ? v : undefined);
const asArray = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/**
 * Rocket.Chat's processWebhookMessage: resolves each target (`#name`, `@username`, a room id or
 * name, or a user id for a DM), joins public channels and opens DMs as needed, and sends the
 * message as `user` with Slack's field names mapped to Rocket.Chat's and the integration's
 * defaults filling the gaps. Used by chat.postMessage and by incoming webhooks.
 */
export class MessagePosting {
  readonly #store: Store;
  readonly #settings: SettingsService;
  readonly #messages: MessagesService;
  readonly #membership: MembershipService;
  readonly #directMessages: DirectMessagesService;

  constructor(deps: {
    store: Store;
    settings: SettingsService;
    messages: MessagesService;
    membership: MembershipService;
    directMessages: DirectMessagesService;
  }) {
    this.#store = deps.store;
    this.#settings = deps.settings;
    this.#messages = deps.messages;
    this.#membership = deps.membership;
    this.#directMessages = deps.directMessages;
  }

  /**
   * chat.postMessage's size rule (Rocket.Chat checks it in the route, not for webhooks): the text
   * and every attachment's text within Message_MaxAllowedSize.
   */
  checkSize(payload: PostPayload): void {
    const max = this.#settings.int('Message_MaxAllowedSize');
    const tooLong = (s: unknown) => typeof s === 'string' && s.length > max;
    if (tooLong(payload.text) || payload.attachments?.some((a) => tooLong(a.text))) {
      throw new InvalidArgumentError('error-message-size-exceeded', undefined, null);
    }
  }

  /** Sends the message to every target; answers what was sent where. */
  async post(userId: string, payload: PostPayload, defaults: PostDefaults = { channel: '' }): Promise<Posted[]> {
    const user = await this.#store.users.findById(userId);
    if (!user?.username) throw new InvalidArgumentError('error-invalid-user', 'Invalid user');
    const targets = [...new Set(asArray(payload.channel || payload.roomId || defaults.channel))];
    const sent: Posted[] = [];
    for (const channel of targets) {
      const room = await this.#resolve(user, channel);
      const message = await this.#messages.post(user, room._id, this.#message(payload, defaults), { parseUrls: payload.parseUrls ?? !payload.attachments });
      if (message) sent.push({ channel, message });
    }
    return sent;
  }

  #message(p: PostPayload, d: PostDefaults): Parameters<MessagesService['post']>[2] {
    const attachments = (p.attachments ?? []).map((a) => {
      // Slack's attachment `msg` becomes its text.
      if (typeof a.msg !== 'string' || !a.msg) return a;
      const { msg, ...rest } = a;
      return { ...rest, text: msg.trim() };
    });
    const out: Parameters<MessagesService['post']>[2] = {
      msg: (p.text || p.msg || '').trim(),
      attachments,
      groupable: p.groupable ?? false,
    };
    const alias = nonEmpty(p.username) ?? nonEmpty(p.alias) ?? nonEmpty(d.alias);
    if (alias) out.alias = alias;
    // One picture: the sent avatar, else the sent emoji, else the integration's avatar, else its emoji.
    const avatar = nonEmpty(p.icon_url) ?? nonEmpty(p.avatar);
    const emoji = nonEmpty(p.icon_emoji) ?? nonEmpty(p.emoji);
    if (avatar) out.avatar = avatar;
    else if (emoji) out.emoji = emoji;
    else if (d.avatar) out.avatar = d.avatar;
    else if (d.emoji) out.emoji = d.emoji;
    if (p.bot) out.bot = p.bot;
    if (p.tmid) out.tmid = p.tmid;
    if (p.customFields) out.customFields = p.customFields;
    return out;
  }

  /** getRoomByNameOrIdWithOptionToJoin, as processWebhookMessage calls it for one target. */
  async #resolve(user: User, channel: string): Promise<Room> {
    const prefix = channel[0];
    const value = prefix === '#' || prefix === '@' ? channel.slice(1) : channel;
    if (prefix === '@') return (await this.#direct(user, value, false)) ?? this.#fail();
    const room = await this.#byIdOrName(value);
    if (room) return this.#joined(room, user);
    if (prefix === '#') return this.#fail();
    // Neither a room id nor a name: a DM with the user of that id.
    return (await this.#direct(user, value, true)) ?? this.#fail();
  }

  #fail(): never {
    throw invalidChannel();
  }

  async #byIdOrName(nameOrId: string): Promise<Room | undefined> {
    if (!nameOrId) return undefined;
    return (await this.#store.rooms.findById(nameOrId)) ?? (await this.#store.rooms.findByName(nameOrId));
  }

  /** A public channel is joined first (quietly a no-op for members). */
  async #joined(room: Room, user: User): Promise<Room> {
    if (room.t === 'c') await this.#membership.addUser(room, user);
    return room;
  }

  /** The DM with the user named (by id, or by id or username), created when missing. */
  async #direct(user: User, nameOrId: string, byIdOnly: boolean): Promise<Room | undefined> {
    const other = byIdOnly
      ? await this.#store.users.findById(nameOrId)
      : ((await this.#store.users.findById(nameOrId)) ?? (await this.#store.users.findByUsername(nameOrId)));
    if (!other) {
      const room = nameOrId ? await this.#store.rooms.findById(nameOrId) : undefined;
      return room?.t === 'd' ? room : undefined;
    }
    const existing = await this.#store.rooms.findDirectByUids([...new Set([user._id, other._id])]);
    if (existing) return existing;
    const created = await this.#directMessages.create(user._id, [other.username ?? '']);
    return this.#store.rooms.findById(created.rid);
  }
}
