import { userRef } from '../domain/projections.js';
import type { Message, Room, User, UserRef } from '../domain/types.js';
import { objectId } from '../lib/random.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { SettingsService } from './settings-service.js';

/**
 * System messages (model.md §8): stored like any message, they bump the room's `msgs` and are
 * broadcast unless their type is hidden in the room. They never touch lastMessage or unread state.
 */
export class SystemMessages {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly events: ChatEvents,
  ) {}

  /** System-message types hidden in this room (model.md §8.2). */
  hiddenTypes(room: Pick<Room, 'sysMes'>): string[] {
    const list = Array.isArray(room.sysMes) ? room.sysMes : this.settings.get<string[]>('Hide_System_Messages') ?? [];
    if (!list.includes('mute_unmute')) return list;
    return [...list.filter((t) => t !== 'mute_unmute'), 'user-muted', 'user-unmuted'];
  }

  /**
   * Inserts a system message of type `t` and announces it. `actor` is the user the message is
   * attributed to (`u`). Returns the message and the room as updated.
   */
  async create(
    t: string,
    room: Room,
    msg: string,
    actor: Pick<User, '_id' | 'username' | 'name'> | UserRef,
    extra: Partial<Message> = {},
  ): Promise<{ message: Message; room: Room }> {
    const now = new Date();
    const message: Message = {
      _id: objectId(),
      t,
      rid: room._id,
      ts: now,
      msg,
      u: userRef(actor),
      groupable: false,
      ...extra,
      _updatedAt: now,
    };
    if (this.settings.bool('Message_Read_Receipt_Enabled')) message.unread = true;
    await this.store.messages.insert(message);
    // The store stamps `_updatedAt` itself: broadcast what loadHistory will return.
    const stored = (await this.store.messages.findById(message._id)) ?? message;
    const updated = (await this.store.rooms.update(room._id, { inc: { msgs: 1 } })) ?? room;
    if (!this.hiddenTypes(updated).includes(t)) this.events.messageSaved(stored, updated);
    this.events.roomChanged('updated', updated);
    return { message: stored, room: updated };
  }
}
