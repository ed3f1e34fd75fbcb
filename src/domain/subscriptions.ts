import { userRef } from './projections.js';
import type { Room, Subscription, User } from './types.js';

/** The fields every new subscription of a c/p room starts with (model.md §5.1). */
export function newRoomSubscription(
  id: string,
  room: Room,
  user: Pick<User, '_id' | 'username' | 'name'>,
  fields: Partial<Subscription>,
): Subscription {
  const now = new Date();
  const sub: Subscription = {
    _id: id,
    open: true,
    alert: false,
    unread: 0,
    userMentions: 0,
    groupMentions: 0,
    ts: now,
    rid: room._id,
    name: room.name ?? '',
    fname: room.fname ?? room.name ?? '',
    t: room.t,
    u: userRef(user),
    _updatedAt: now,
    ...fields,
  };
  if (room.customFields && sub.customFields === undefined) sub.customFields = room.customFields;
  if (room.prid) sub.prid = room.prid;
  if (room.archived) sub.archived = true;
  return sub;
}
