import { useEffect } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { displayName, roomPath } from '../state/rooms';
import type { Subscription } from '../state/types';
import { Icon, type IconName } from './icons';

const ICON: Record<string, IconName> = { c: 'hash', p: 'lock', d: 'at' };

/** The person's rooms: Favorites first, then rooms, then direct messages; counts and mentions as badges. */
export function Sidebar() {
  const app = useApp();
  const { favorites, rooms, direct } = app.rooms.sidebar.value;
  const loaded = app.rooms.loaded.value;

  useEffect(() => {
    if (loaded && !performance.getEntriesByName('orbit:sidebar').length) {
      performance.mark('orbit:sidebar');
    }
  }, [loaded]);

  return (
    <nav aria-label="Rooms" class="sidebar-list">
      {!loaded && <p class="muted">Loading rooms…</p>}
      <Group label="Favorites" subs={favorites} />
      <Group label="Channels" subs={rooms} />
      <Group label="Direct messages" subs={direct} />
      {loaded && favorites.length + rooms.length + direct.length === 0 && <p class="muted">No rooms yet.</p>}
    </nav>
  );
}

function Group({ label, subs }: { label: string; subs: Subscription[] }) {
  if (subs.length === 0) return null;
  const id = `group-${label.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <section class="room-group">
      <h2 id={id} class="group-label">
        {label}
      </h2>
      <ul aria-labelledby={id} role="list">
        {subs.map((s) => (
          <RoomLink key={s.rid} sub={s} />
        ))}
      </ul>
    </section>
  );
}

function RoomLink({ sub }: { sub: Subscription }) {
  const app = useApp();
  const name = displayName(sub);
  const path = roomPath(sub.t, sub.name, sub.rid);
  const route = app.router.route.value;
  const current = route.kind === 'room' && route.t === sub.t && (route.key === sub.name || route.key === sub.rid);
  const unread = sub.unread ?? 0;
  const mentions = (sub.userMentions ?? 0) + (sub.groupMentions ?? 0);
  const descId = `unread-${sub.rid}`;
  const description = [unread > 0 ? `${unread} unread` : '', mentions > 0 ? `${mentions} mentions` : ''].filter(Boolean).join(', ');
  return (
    <li>
      <a
        href={path}
        class={`room-link${sub.alert || unread > 0 ? ' unread' : ''}`}
        aria-current={current ? 'page' : undefined}
        aria-describedby={description ? descId : undefined}
        onClick={(e) => {
          if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
          e.preventDefault();
          app.router.navigate(path);
        }}
      >
        <span class="room-icon" aria-hidden="true">
          <Icon name={ICON[sub.t] ?? 'hash'} />
        </span>
        <span class="room-name">{name}</span>
        {mentions > 0 && (
          <span class="badge mention-badge" aria-hidden="true">
            @
          </span>
        )}
        {unread > 0 && (
          <span class="badge" aria-hidden="true">
            {unread}
          </span>
        )}
      </a>
      {description && (
        <span id={descId} class="sr-only">
          {description}
        </span>
      )}
    </li>
  );
}
