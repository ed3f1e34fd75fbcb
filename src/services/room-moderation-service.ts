import { Errors, InvalidArgumentError, UnauthenticatedError } from '../domain/errors.js';
import type { Room } from '../domain/types.js';
import type { Patch, Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { PermissionsService } from './permissions-service.js';
import type { SystemMessages } from './system-messages.js';

/**
 * Muting (rooms.md A.17, A.18). In a read-only room "muted" means "not explicitly allowed to
 * post", so there the `unmuted` list is what changes.
 */
export class RoomModerationService {
  constructor(
    private readonly store: Store,
    private readonly events: ChatEvents,
    private readonly permissions: PermissionsService,
    private readonly systemMessages: SystemMessages,
  ) {}

  /** muteUserInRoom (`mute` true) / unmuteUserInRoom (`mute` false), checks 3–8. */
  async setMuted(callerId: string, rid: string, username: string, mute: boolean): Promise<true> {
    const caller = await this.store.users.findById(callerId);
    if (!(await this.permissions.hasPermission(caller, 'mute-user', rid))) throw Errors.notAllowed();
    const room = await this.store.rooms.findById(rid);
    if (!room) throw Errors.invalidRoom();
    if (room.t === 'd') {
      throw new InvalidArgumentError('error-invalid-room-type', `${room.t} is not a valid room type`, { type: room.t });
    }
    if (!(await this.store.subscriptions.findByRoomAndUsername(rid, username))) throw Errors.userNotInRoom();
    const target = await this.store.users.findByUsername(username);
    if (!target?.username) {
      throw new UnauthenticatedError('error-invalid-user', mute ? 'Invalid user to mute' : 'Invalid user to unmute');
    }
    if (!caller) throw Errors.invalidUser();

    const name = target.username;
    const updated = (await this.store.rooms.update(rid, mutePatch(room, name, mute))) ?? room;
    this.events.roomChanged('updated', updated);
    await this.systemMessages.create(mute ? 'user-muted' : 'user-unmuted', updated, name, caller);
    return true;
  }
}

function mutePatch(room: Room, username: string, mute: boolean): Patch<Room> {
  if (mute) return room.ro ? { pull: { unmuted: username } } : { addToSet: { muted: username }, pull: { unmuted: username } };
  return room.ro ? { pull: { muted: username }, addToSet: { unmuted: username } } : { pull: { muted: username } };
}
