import { newRoomSubscription } from '../../src/domain/subscriptions.js';
import type { Room, User } from '../../src/domain/types.js';
import { userRef } from '../../src/domain/projections.js';
import { objectId } from '../../src/lib/random.js';
import type { TestServer } from './test-server.js';

/**
 * Puts a c/p room straight into the store (owner with role `owner`, members plain), as room
 * creation would, so tests of other methods do not depend on createChannel.
 */
export async function makeRoom(
  server: TestServer,
  opts: { t?: 'c' | 'p'; name?: string; owner: User; members?: User[]; extra?: Partial<Room> },
): Promise<Room> {
  const store = server.orbit.services.store;
  const now = new Date();
  const name = opts.name ?? `room-${objectId().slice(-8)}`;
  const room: Room = {
    _id: objectId(),
    t: opts.t ?? 'c',
    name,
    fname: name,
    u: userRef(opts.owner),
    msgs: 0,
    usersCount: 0,
    ts: now,
    ro: false,
    default: false,
    sysMes: true,
    customFields: {},
    _updatedAt: now,
    ...opts.extra,
  };
  await store.rooms.insert(room);
  const members = [opts.owner, ...(opts.members ?? []).filter((m) => m._id !== opts.owner._id)];
  for (const m of members) {
    const isOwner = m._id === opts.owner._id;
    await store.subscriptions.insert(
      newRoomSubscription(objectId(), room, m, { ts: room.ts, ...(isOwner ? { roles: ['owner'], ls: now } : {}) }),
    );
  }
  return (await store.rooms.update(room._id, { inc: { usersCount: members.length } }))!;
}
