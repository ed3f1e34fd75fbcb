import type { Room } from '../../domain/types.js';
import type { Store } from '../../store/store.js';
import { meteorFailure } from './rest-error.js';

export type RoomKey = { roomId: string } | { roomName: string };

const findByKey = (store: Store, key: RoomKey): Promise<Room | undefined> =>
  'roomId' in key ? store.rooms.findById(key.roomId) : store.rooms.findByName(key.roomName);

/** Rocket.Chat's findChannelByIdOrName: a public channel, not archived. */
export async function findChannel(store: Store, key: RoomKey): Promise<Room> {
  const room = await findByKey(store, key);
  if (!room || room.t !== 'c') {
    throw meteorFailure('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any channel');
  }
  if (room.archived) throw meteorFailure('error-room-archived', `The channel, ${room.name}, is archived`);
  return room;
}

/**
 * Rocket.Chat's findRoomByIdOrName (as rooms.info calls it: archived rooms included) from a query
 * string. Decision: `rid` is read as `roomId` too, which is what @rocket.chat/sdk 1.0 sends.
 */
export async function findRoom(store: Store, query: Record<string, string>): Promise<Room> {
  const roomId = query.roomId ?? query.rid;
  if (!roomId && !query.roomName) {
    throw meteorFailure('error-roomid-param-not-provided', 'The parameter "roomId" or "roomName" is required');
  }
  const room = await findByKey(store, roomId ? { roomId } : { roomName: query.roomName! });
  if (!room) {
    throw meteorFailure('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any room');
  }
  return room;
}
