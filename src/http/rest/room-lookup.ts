import { z } from 'zod';
import type { Room, RoomType } from '../../domain/types.js';
import type { Store } from '../../store/store.js';
import { meteorFailure } from './rest-error.js';

const id = z.string().min(1).max(256);

/**
 * `roomId` or `roomName`, as Rocket.Chat's room routes take them (query or body). `rid` is read as
 * `roomId` too (decision: @rocket.chat/sdk 1.0 sends it). Which one is required is findRoom's
 * check, with Rocket.Chat's error.
 */
export const roomKey = z.object({ roomId: id.optional(), roomName: id.optional(), rid: id.optional() });
export const roomKeyQuery = roomKey;
export type RoomKey = z.output<typeof roomKey>;

export interface FindRoomOptions {
  /** Only rooms of this type (channels.* → 'c', groups.* → 'p', im.* → 'd'); others are "not found". */
  type?: RoomType;
  /** Refuse an archived room with `error-room-archived` (Rocket.Chat's `checkedArchived`). */
  refuseArchived?: boolean;
}

const NOUN: Record<RoomType, string> = { c: 'channel', p: 'group', d: 'room' };
const ARCHIVED_NOUN: Record<RoomType, string> = { c: 'channel', p: 'private group', d: 'room' };

/**
 * Rocket.Chat's findRoomByIdOrName / findChannelByIdOrName / findPrivateGroupByIdOrName lookups
 * (without their access checks, which stay the services'): 400 `error-roomid-param-not-provided`
 * without a key, `error-room-not-found` for no room of that type, `error-room-archived` when asked.
 */
export async function findRoom(store: Store, key: RoomKey, opts: FindRoomOptions = {}): Promise<Room> {
  const roomId = key.roomId ?? key.rid;
  if (!roomId && !key.roomName) {
    throw meteorFailure('error-roomid-param-not-provided', 'The parameter "roomId" or "roomName" is required');
  }
  const room = roomId ? await store.rooms.findById(roomId) : await store.rooms.findByName(key.roomName!);
  if (!room || (opts.type && room.t !== opts.type)) {
    const noun = opts.type ? NOUN[opts.type] : 'room';
    throw meteorFailure('error-room-not-found', `The required "roomId" or "roomName" param provided does not match any ${noun}`);
  }
  if (opts.refuseArchived && room.archived) {
    throw meteorFailure('error-room-archived', `The ${ARCHIVED_NOUN[room.t]}, ${room.name}, is archived`);
  }
  return room;
}

/** A public channel that is not archived (channels.join and the like). */
export const findChannel = (store: Store, key: RoomKey): Promise<Room> => findRoom(store, key, { type: 'c', refuseArchived: true });
