import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { Icon } from './icons';
import type { RoomView } from '../state/room-view';
import type { Member, Room, RoomRoles, Subscription } from '../state/types';
import { reasonOf } from './dialog';
import { MenuButton, type MenuItem } from './menu';
import { MEMBERSHIP_TYPES } from './system-message';

const ROLE_BADGES: ReadonlyArray<[string, string]> = [
  ['owner', 'Owner'],
  ['moderator', 'Moderator'],
  ['leader', 'Leader'],
];

/** The members (`getUsersOfRoom`, `getRoomRoles`), adding one, and what the viewer may do to each. */
export function MembersPanel({ room, sub, view, onClose }: { room: Room; sub: Subscription | undefined; view: RoomView; onClose(): void }) {
  const app = useApp();
  const me = app.session.me.value;
  const [members, setMembers] = useState<Member[]>([]);
  const [roles, setRoles] = useState<ReadonlyMap<string, string[]>>(new Map());
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string>();
  const [adding, setAdding] = useState('');
  const myRoles = sub?.roles ?? [];
  const can = (p: string) => app.permissions.has(p, myRoles);

  // Reload when membership or roles change: a system message about it arrived, or the room changed (mutes).
  const messages = view.messages.value;
  const last = messages[messages.length - 1];
  const trigger = last && last.t && MEMBERSHIP_TYPES.has(last.t) ? last._id : '';
  useEffect(() => {
    let cancelled = false;
    Promise.all([
      app.ddp.call<{ total: number; records: Member[] }>('getUsersOfRoom', room._id, true),
      app.ddp.call<RoomRoles[]>('getRoomRoles', room._id),
    ]).then(
      ([users, roomRoles]) => {
        if (cancelled) return;
        setMembers(users.records.slice().sort((a, b) => a.username.localeCompare(b.username)));
        setRoles(new Map(roomRoles.map((r) => [r.u._id, r.roles])));
        setLoaded(true);
      },
      (err: unknown) => !cancelled && setError(reasonOf(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [room._id, trigger, room.muted?.join(','), sub?.roles?.join(',')]);

  const run = (fn: () => Promise<unknown>) => {
    setError(undefined);
    fn().catch((err: unknown) => setError(reasonOf(err)));
  };

  const add = (e: Event) => {
    e.preventDefault();
    const username = adding.trim().replace(/^@/, '');
    if (!username) return;
    run(async () => {
      await app.ddp.call('addUserToRoom', { rid: room._id, username });
      setAdding('');
    });
  };

  const canAdd = can('add-user-to-joined-room') || can(room.t === 'p' ? 'add-user-to-any-p-room' : 'add-user-to-any-c-room');

  const actionsFor = (m: Member): MenuItem[] => {
    const has = roles.get(m._id) ?? [];
    const items: MenuItem[] = [];
    const toggle = (role: string, perm: string, add: string, remove: string, addLabel: string, removeLabel: string) => {
      if (!can(perm)) return;
      const on = has.includes(role);
      items.push({ label: on ? removeLabel : addLabel, onSelect: () => run(() => app.ddp.call(on ? remove : add, room._id, m._id)) });
    };
    toggle('owner', 'set-owner', 'addRoomOwner', 'removeRoomOwner', 'Set as owner', 'Remove owner');
    toggle('moderator', 'set-moderator', 'addRoomModerator', 'removeRoomModerator', 'Set as moderator', 'Remove moderator');
    toggle('leader', 'set-leader', 'addRoomLeader', 'removeRoomLeader', 'Set as leader', 'Remove leader');
    if (m._id !== me?._id && can('mute-user')) {
      const muted = room.muted?.includes(m.username) ?? false;
      items.push({
        label: muted ? 'Unmute' : 'Mute',
        onSelect: () => run(() => app.ddp.call(muted ? 'unmuteUserInRoom' : 'muteUserInRoom', { rid: room._id, username: m.username })),
      });
    }
    if (m._id !== me?._id && can('remove-user')) {
      items.push({ label: 'Remove from room', danger: true, onSelect: () => run(() => app.ddp.call('removeUserFromRoom', { rid: room._id, username: m.username })) });
    }
    return items;
  };

  return (
    <aside class="panel" aria-label="Members">
      <div class="panel-head">
        <h2>Members</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      {canAdd && (
        <form class="row" onSubmit={add}>
          <input aria-label="Add member" placeholder="username" value={adding} onInput={(e) => setAdding(e.currentTarget.value)} />
          <button type="submit" class="primary">
            Add
          </button>
        </form>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="member-list" aria-label="Member list" aria-busy={!loaded}>
        {members.map((m) => {
          const has = roles.get(m._id) ?? [];
          const muted = room.muted?.includes(m.username);
          return (
            <li key={m._id} class="member" aria-label={m.username}>
              <span class={`presence ${m.status ?? 'offline'}`} aria-hidden="true" />
              <span class="member-name">
                <span class="author">{m.username}</span>
                {m.name && m.name !== m.username && <span class="muted"> {m.name}</span>}
              </span>
              {ROLE_BADGES.filter(([r]) => has.includes(r)).map(([r, label]) => (
                <span key={r} class="role-badge">
                  {label}
                </span>
              ))}
              {muted && <span class="role-badge muted-badge">Muted</span>}
              <MenuButton label="Member actions" items={actionsFor(m)} />
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
