import { ForbiddenError, InvalidArgumentError, PreconditionError, UnauthenticatedError } from '../domain/errors.js';
import { checkAttachments, isSafePartialUrl } from '../domain/attachments.js';
import { userRef } from '../domain/projections.js';
import type { Message, Room, User } from '../domain/types.js';
import { randomId } from '../lib/random.js';
import type { Store } from '../store/store.js';
import { canSendMessage } from './can-send-message.js';
import type { Ephemeral } from './ephemeral.js';
import type { ChatEvents } from './events.js';
import type { MessageNotifications } from './message-notifications.js';
import type { MessageParsing, ParsedText } from './message-parsing.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';

/** A message as a client may send it (rooms.md B.4; the method has checked the types). */
export interface OutgoingMessage {
  _id?: string;
  rid?: string;
  msg?: string;
  tmid?: string;
  tshow?: boolean;
  ts?: Date;
  t?: string;
  alias?: string;
  avatar?: string;
  emoji?: string;
  attachments?: Array<Record<string, unknown>>;
  customFields?: Record<string, unknown>;
  groupable?: boolean;
  e2e?: string;
  e2eMentions?: Record<string, unknown>;
  content?: Record<string, unknown>;
  bot?: Record<string, unknown>;
  federation?: Record<string, unknown>;
  sentByEmail?: boolean;
}

/** Fields copied as sent. */
const PASS_THROUGH = ['t', 'alias', 'avatar', 'emoji', 'attachments', 'customFields', 'groupable', 'e2e', 'e2eMentions', 'content', 'bot', 'federation', 'sentByEmail'] as const;

/** Client `ts` further than this from the server clock: refused. */
const TS_REFUSE_MS = 60_000;
/** Client `ts` further than this (but within the refusal bound): replaced by the server time. */
const TS_REPLACE_MS = 10_000;

/**
 * A refusal after the room checks: the sender has been sent an ephemeral notice. `error-not-allowed`
 * refusals are ForbiddenErrors (the method re-throws them); all others are swallowed.
 */
function refusal(code: string, reason?: string): Error {
  return code === 'error-not-allowed' ? new ForbiddenError(code, reason) : new PreconditionError(code, reason);
}

/**
 * sendMessage (rooms.md B.4 steps 5–14). Throws DomainErrors; the method decides which reach the
 * client. Failures of the room checks and of message preparation also send the sender an
 * ephemeral notice.
 */
export class MessagesService {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly permissions: PermissionsService,
    private readonly events: ChatEvents,
    private readonly parsing: MessageParsing,
    private readonly ephemeral: Ephemeral,
    private readonly notifications: MessageNotifications,
  ) {}

  /** Sends the message; undefined when a message with its `_id` already exists. */
  async send(userId: string, input: OutgoingMessage, previewUrls?: readonly string[]): Promise<Message | undefined> {
    if (input.tshow && !input.tmid) throw new InvalidArgumentError('invalid-params', 'tshow provided but missing tmid');
    if (input.tmid && !this.settings.bool('Threads_enabled')) throw new ForbiddenError('error-not-allowed', 'not-allowed');
    const now = new Date();
    let ts = now;
    if (input.ts) {
      const drift = Math.abs(input.ts.getTime() - now.getTime());
      if (drift > TS_REFUSE_MS) {
        throw new InvalidArgumentError('error-message-ts-out-of-sync', 'Message timestamp is out of sync', {
          message_ts: input.ts,
          server_ts: now.getTime(),
        });
      }
      if (drift <= TS_REPLACE_MS) ts = input.ts;
    }
    const msg = input.msg ?? '';
    if (msg.length > this.settings.int('Message_MaxAllowedSize')) {
      throw new InvalidArgumentError('error-message-size-exceeded', 'Message size exceeds Message_MaxAllowedSize');
    }
    const user = await this.store.users.findById(userId);
    if (!user?.username) throw new UnauthenticatedError('error-invalid-user', 'Invalid user');
    let { rid, tmid } = input;
    if (tmid) {
      const parent = await this.store.messages.findById(tmid);
      if (parent?.tmid) tmid = parent.tmid;
      if (parent) rid = parent.rid;
    }
    if (!rid) throw new InvalidArgumentError('error-invalid-params', "The 'rid' property on the message object is missing.");
    return this.#deliver(user, rid, { ...input, msg, ts, tmid }, { previewUrls, notify: true });
  }

  /**
   * Rocket.Chat's sendMessage function as chat.postMessage and incoming webhooks call it: the room
   * checks, impersonation, attachments and mentions, without the method's own checks (timestamp,
   * size, threads setting) and without ephemeral notices. `parseUrls: false` leaves `urls` out.
   */
  async post(user: User, rid: string, input: OutgoingMessage, opts: { parseUrls?: boolean } = {}): Promise<Message | undefined> {
    return this.#deliver(user, rid, { ...input, msg: input.msg ?? '', ts: new Date() }, { notify: false, parseUrls: opts.parseUrls });
  }

  async #deliver(
    user: User,
    rid: string,
    input: OutgoingMessage & { msg: string; ts: Date },
    opts: { previewUrls?: readonly string[]; notify: boolean; parseUrls?: boolean },
  ): Promise<Message | undefined> {
    const { room, parsed, attachments } = await this.#checkAndPrepare(user, rid, input, opts);
    const { tmid, msg } = input;
    const message: Message = { _id: input._id || randomId(), rid: room._id, msg, ts: input.ts, u: userRef(user), _updatedAt: new Date() };
    for (const k of PASS_THROUGH) if (input[k] !== undefined) (message as Record<string, unknown>)[k] = input[k];
    if (attachments) message.attachments = attachments;
    if (tmid) message.tmid = tmid;
    if (tmid && input.tshow === true) message.tshow = true;
    if (this.settings.bool('Message_Read_Receipt_Enabled')) message.unread = true;
    if (opts.parseUrls !== false) message.urls = parsed.urls;
    message.mentions = parsed.mentions;
    message.channels = parsed.channels;
    if (parsed.md) message.md = parsed.md;

    // The message and everything it changes commit together (one statement where the store can);
    // the events follow the commit.
    const plan = this.notifications.plan(message, room);
    const posted = await this.store.postMessage(message, plan.post);
    if (!posted) return undefined;
    this.events.messageSaved(posted.message, room);
    await this.notifications.announce(posted, plan, room);
    return posted.message;
  }

  /** Steps 9–11: the room checks and the mention rules; a failure notifies the sender. */
  async #checkAndPrepare(
    user: User,
    rid: string,
    input: OutgoingMessage & { msg: string },
    opts: { previewUrls?: readonly string[]; notify: boolean },
  ): Promise<{ room: Room; parsed: ParsedText; attachments?: Array<Record<string, unknown>> }> {
    const fail = (code: string, text: string, reason?: string): never => {
      if (opts.notify) this.ephemeral.send(user._id, rid, text);
      throw refusal(code, reason);
    };
    const check = await canSendMessage({ store: this.store, permissions: this.permissions }, rid, user);
    if (check.refused !== undefined) return fail(check.refused, check.refused);
    const room = check.room;
    if ((input.alias !== undefined || input.avatar !== undefined) && !(await this.permissions.hasPermission(user, 'message-impersonate', rid))) {
      // Rocket.Chat throws a plain Error with this text: its REST API answers it as the error.
      fail('Not enough permission', 'Not enough permission');
    }
    if (input.avatar !== undefined && !isSafePartialUrl(input.avatar)) fail('Invalid href value provided', 'Invalid href value provided');
    // Rocket.Chat's validateCustomMessageFields: refused unless the admin enabled them.
    if (input.customFields !== undefined && !this.settings.bool('Message_CustomFields_Enabled')) {
      fail('Custom fields not enabled', 'Custom fields not enabled');
    }
    let attachments: Array<Record<string, unknown>> | undefined;
    if (input.attachments !== undefined) {
      const checked = checkAttachments(input.attachments);
      if (!checked.ok) return fail('error-invalid-attachment', checked.problem);
      attachments = checked.attachments;
    }
    const parsed = await this.parsing.parse(input.msg, opts.previewUrls);
    if (parsed.toAll && !(await this.permissions.hasPermission(user, 'mention-all', rid))) {
      fail('error-action-not-allowed', 'Notify all in this room is not allowed', 'Notify all in this room not allowed');
    }
    if (parsed.toHere && !(await this.permissions.hasPermission(user, 'mention-here', rid))) {
      fail('error-action-not-allowed', 'Notify active in this room is not allowed', 'Notify active in this room not allowed');
    }
    const maxAll = this.settings.int('Message_MaxAll');
    if ((parsed.toAll || parsed.toHere) && maxAll > 0 && (await this.store.subscriptions.listUserIdsByRoom(rid)).length > maxAll) {
      // English text of Group_mentions_disabled_x_members: unverified.
      fail('error-action-not-allowed', `Group mentions are disabled for rooms with more than ${maxAll} members`);
    }
    return { room, parsed, attachments };
  }
}
