import { ForbiddenError, InvalidArgumentError, PreconditionError, UnauthenticatedError } from '../domain/errors.js';
import type { Message, Room, User } from '../domain/types.js';
import { randomId } from '../lib/random.js';
import type { Patch, Store } from '../store/store.js';
import { canSendMessage, type SendCheck } from './can-send-message.js';
import type { ChatEvents } from './events.js';
import type { MessageParsing } from './message-parsing.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';

/** Keys of updateMessage's param that may differ from the stored message. */
const EDITABLE = new Set(['tshow', 'alias', 'attachments', 'avatar', 'emoji', 'msg']);

/** Whole minutes since `ts` (edits: moment's `diff(…, 'minutes')` truncates). */
const minutesSince = (ts: Date): number => Math.floor((Date.now() - ts.getTime()) / 60_000);
/** Minutes since `ts`, rounded (deletes: Rocket.Chat's canDeleteMessage rounds). */
const roundedMinutesSince = (ts: Date): number => Math.round((Date.now() - ts.getTime()) / 60_000);

const deleteNotAllowed = () => new ForbiddenError('error-action-not-allowed', 'Not allowed', { action: 'Delete_message' });

/** updateMessage (rooms.md B.5) and deleteMessage (B.6). */
export class MessageEdits {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly permissions: PermissionsService,
    private readonly events: ChatEvents,
    private readonly parsing: MessageParsing,
    private readonly systemMessages: SystemMessages,
  ) {}

  /**
   * Edits a message's text (and the other editable fields sent). Does nothing for an unknown id
   * or an unchanged text; an absent `msg` counts as unchanged (decision).
   */
  async update(userId: string, input: Record<string, unknown> & { _id: string }, previewUrls?: readonly string[]): Promise<void> {
    const original = await this.store.messages.findById(input._id);
    if (!original) return;
    for (const [key, value] of Object.entries(input)) {
      if (!EDITABLE.has(key) && value !== original[key]) {
        throw new InvalidArgumentError('error-invalid-update-key', `Cannot update the message ${key}`);
      }
    }
    const described = firstAttachmentDescription(original);
    const newText = typeof input.msg === 'string' ? input.msg : (described ?? original.msg);
    if (newText === (described ?? original.msg)) return;
    if (input.tmid === original._id) throw new InvalidArgumentError('error-message-same-as-tmid', 'Cannot set tmid the same as the _id');
    if (!original.tmid && input.tmid) throw new InvalidArgumentError('error-message-change-to-thread', 'Cannot update message to a thread');
    const user = await this.store.users.findById(userId);
    // Rows 8 and 11 use the rid the client sent (row 4 made it equal to the stored one when sent):
    // without it the permission has no room scope and canSendMessage finds no room (a 500).
    const sentRid = typeof input.rid === 'string' ? input.rid : undefined;
    const own = original.u._id === userId;
    if (!(await this.permissions.hasPermission(user, 'edit-message', sentRid)) && !(this.settings.bool('Message_AllowEditing') && own)) {
      throw new ForbiddenError('error-action-not-allowed', 'Message editing not allowed', { action: 'Message_editing' });
    }
    const block = this.settings.int('Message_AllowEditing_BlockEditInMinutes');
    if (block && !(await this.permissions.hasPermission(user, 'bypass-time-limit-edit-and-delete')) && minutesSince(original.ts) >= block) {
      throw new PreconditionError('error-message-editing-blocked', 'Message editing is blocked');
    }
    if (!user) throw new UnauthenticatedError('error-invalid-user', 'Invalid user');
    const check: SendCheck =
      sentRid === undefined
        ? { refused: 'error-invalid-room' }
        : await canSendMessage({ store: this.store, permissions: this.permissions }, sentRid, user);
    // Rocket.Chat raises plain errors here: the client sees a 500.
    if (check.refused !== undefined) throw new Error(check.refused);
    const rid = original.rid;

    if (this.settings.bool('Message_KeepHistory')) await this.#storeHistoryCopy(original);
    const set: Partial<Message> = {};
    for (const key of EDITABLE) if (key !== 'msg' && input[key] !== undefined) set[key] = input[key];
    if (described !== undefined) {
      const attachments = [...(original.attachments ?? [])] as Array<Record<string, unknown>>;
      attachments[0] = { ...attachments[0], description: newText };
      set.attachments = attachments;
    } else {
      set.msg = newText;
    }
    const text = set.msg ?? original.msg;
    const parsed = await this.parsing.parse(text, previewUrls);
    Object.assign(set, { urls: parsed.urls, mentions: parsed.mentions, channels: parsed.channels, editedAt: new Date() });
    set.editedBy = { _id: user._id, username: user.username ?? '' };
    const patch: Patch<Message> = { set };
    if (parsed.md) set.md = parsed.md;
    else patch.unset = ['md'];
    const updated = await this.store.messages.update(original._id, patch);
    if (!updated) return;
    const room = check.room;
    if (!updated.t || !this.systemMessages.hiddenTypes(room).includes(updated.t)) this.events.messageSaved(updated, room);
    const shownInRoom = !updated.tmid || updated.tshow === true;
    if (this.settings.bool('Store_Last_Message') && shownInRoom && room.lastMessage?._id === updated._id) {
      const changed = await this.store.rooms.update(rid, { set: { lastMessage: updated } });
      if (changed) this.events.roomChanged('updated', changed);
    }
  }

  /** Deletes (or hides, or rewrites to `rm`) a message the caller may delete. */
  async delete(userId: string, messageId: string): Promise<void> {
    const [message, user] = await Promise.all([this.store.messages.findById(messageId), this.store.users.findById(userId)]);
    if (!message || !user) throw deleteNotAllowed();
    const room = await this.store.rooms.findById(message.rid);
    if (!(await this.permissions.hasPermission(user, 'force-delete-message', message.rid))) await this.#checkMayDelete(user, message, room);

    const threadParent = (typeof message.tcount === 'number' ? message.tcount : 0) > 0;
    const keepHistory = threadParent || this.settings.bool('Message_KeepHistory');
    const showDeleted = threadParent || this.settings.bool('Message_ShowDeletedStatus');
    if (message.tmid) await this.store.messages.update(message.tmid, { inc: { tcount: -1 } });
    if (showDeleted) {
      if (keepHistory) await this.#storeHistoryCopy(message);
      const rewritten = await this.store.messages.update(message._id, {
        set: { t: 'rm', msg: '', urls: [], mentions: [], attachments: [], reactions: {}, editedAt: new Date(), editedBy: { _id: user._id, username: user.username ?? '' } },
        unset: ['md', 'blocks', 'tshow'],
      });
      if (rewritten && room && !this.systemMessages.hiddenTypes(room).includes('rm')) this.events.messageSaved(rewritten, room);
    } else {
      if (keepHistory) await this.store.messages.update(message._id, { set: { _hidden: true } });
      else await this.store.messages.delete(message._id);
      this.events.messageDeleted(message.rid, message._id);
    }
    if (room) await this.#afterDelete(room, message._id);
  }

  async #checkMayDelete(user: User, message: Message, room: Room | undefined): Promise<void> {
    const rid = message.rid;
    if (!this.settings.bool('Message_AllowDeleting')) throw deleteNotAllowed();
    const may =
      (await this.permissions.hasPermission(user, 'delete-message', rid)) ||
      (message.u._id === user._id && (await this.permissions.hasPermission(user, 'delete-own-message', rid)));
    if (!may) throw deleteNotAllowed();
    const block = this.settings.int('Message_AllowDeleting_BlockDeleteInMinutes');
    if (block && !(await this.permissions.hasPermission(user, 'bypass-time-limit-edit-and-delete')) && roundedMinutesSince(message.ts) > block) {
      throw deleteNotAllowed();
    }
    if (room?.ro && !room.unmuted?.includes(message.u.username) && !(await this.permissions.hasPermission(user, 'post-readonly', rid))) {
      // A plain error on the real server: the client sees a 500.
      throw new Error("You can't delete messages because the room is readonly.");
    }
  }

  /** `msgs - 1`; a deleted lastMessage is replaced by the newest remaining visible message. */
  async #afterDelete(room: Room, messageId: string): Promise<void> {
    const patch: Patch<Room> = { inc: { msgs: -1 } };
    if (!room.lastMessage || room.lastMessage._id === messageId) {
      const last = await this.store.messages.findLastVisible(room._id);
      if (last && this.settings.bool('Store_Last_Message')) patch.set = { lastMessage: last };
      else if (room.lastMessage) patch.unset = ['lastMessage'];
    }
    const updated = await this.store.rooms.update(room._id, patch);
    if (updated) this.events.roomChanged('updated', updated);
  }

  /** Message_KeepHistory: a hidden copy of the old version pointing at the original. */
  async #storeHistoryCopy(message: Message): Promise<void> {
    await this.store.messages.insert({ ...message, _id: randomId(), _hidden: true, parent: message._id });
  }
}

function firstAttachmentDescription(message: Message): string | undefined {
  const first = message.attachments?.[0] as { description?: unknown } | undefined;
  return typeof first?.description === 'string' ? first.description : undefined;
}
