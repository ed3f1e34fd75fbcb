import { PreconditionError } from '../domain/errors.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { RoomsService } from './rooms-service.js';

/** What leaving every room means for one of them (Rocket.Chat's getSubscribedRoomsForUserWithDetails). */
export interface RoomFate {
  rid: string;
  /** No one else to hand it to: the room goes. */
  remove: boolean;
  /** The member who becomes its owner. */
  newOwner?: string;
}

/**
 * The user's c/p rooms that need something when the user goes (deactivated or deleted): where the
 * user is the only owner, the longest-standing active member becomes owner, or the room goes when
 * there is none; where the user is the only member, the room goes.
 */
export async function roomsNeedingOwner(store: Store, userId: string): Promise<RoomFate[]> {
  const fates: RoomFate[] = [];
  for (const sub of await store.subscriptions.listByUser(userId)) {
    if (sub.t === 'd') continue;
    if (sub.roles?.includes('owner')) {
      if ((await store.subscriptions.countByRoomAndRole(sub.rid, 'owner')) !== 1) continue;
      const members = (await store.subscriptions.listByRoom(sub.rid)).filter((s) => s.u._id !== userId).sort((a, b) => a.ts.getTime() - b.ts.getTime());
      const active = new Set((await store.users.findByIds(members.map((m) => m.u._id))).filter((u) => u.active).map((u) => u._id));
      const heir = members.find((m) => active.has(m.u._id));
      fates.push(heir ? { rid: sub.rid, remove: false, newOwner: heir.u._id } : { rid: sub.rid, remove: true });
    } else if ((await store.subscriptions.listUserIdsByRoom(sub.rid)).length === 1) {
      fates.push({ rid: sub.rid, remove: true });
    }
  }
  return fates;
}

/** Rocket.Chat's `user-last-owner` refusal: the rooms that would change owner or go, by name. */
export async function lastOwnerError(store: Store, fates: RoomFate[]): Promise<PreconditionError> {
  const rooms = new Map((await store.rooms.findByIds(fates.map((f) => f.rid))).map((r) => [r._id, r.fname || r.name || r._id]));
  const names = (remove: boolean) => fates.filter((f) => f.remove === remove).map((f) => rooms.get(f.rid) ?? f.rid);
  return new PreconditionError('user-last-owner', '', { shouldBeRemoved: names(true), shouldChangeOwner: names(false) });
}

/** Carries out the fates: new owners get the role, rooms left without anyone are erased. */
export async function relinquishRooms(deps: { store: Store; events: ChatEvents; rooms: RoomsService }, fates: RoomFate[]): Promise<void> {
  for (const fate of fates) {
    if (fate.newOwner) {
      const sub = await deps.store.subscriptions.findByRoomAndUser(fate.rid, fate.newOwner);
      const updated = sub && (await deps.store.subscriptions.update(sub._id, { addToSet: { roles: 'owner' } }));
      if (updated) deps.events.subscriptionChanged('updated', updated);
    } else if (fate.remove) {
      const room = await deps.store.rooms.findById(fate.rid);
      if (room) await deps.rooms.destroy(room);
    }
  }
}
