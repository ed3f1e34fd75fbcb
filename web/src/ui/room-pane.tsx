import { useComputed } from '@preact/signals';
import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { RoomView } from '../state/room-view';
import { displayName } from '../state/rooms';
import type { Room, Subscription } from '../state/types';
import { Composer } from './composer';
import { reasonOf } from './dialog';
import { Icon } from './icons';
import { MembersPanel } from './members-panel';
import { MessageList } from './message-list';
import { RoomInfoPanel } from './room-info-panel';

type Panel = 'info' | 'members' | null;

/** One room: header actions, the message log, who is typing, the composer (or why there is none), side panels. */
export function RoomPane({ rid, sub, preview }: { rid: string; sub: Subscription | undefined; preview?: Room }) {
  const app = useApp();
  const me = app.session.me.value;
  // Only this room's changes re-render the pane, not every room's.
  const room = useComputed(() => app.rooms.rooms.value.get(rid)).value ?? preview;
  const member = !!sub;
  const [view] = useState(() => new RoomView(app.ddp, rid, () => app.session.me.value, sub && (sub.unread ?? 0) > 0 ? (sub.ls ?? sub.ts) : undefined, member));
  const [panel, setPanel] = useState<Panel>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    performance.mark('orbit:room-open');
    void view.open();
    return () => view.close();
  }, [view]);

  useEffect(() => {
    if (room && !app.rooms.rooms.value.has(rid)) app.rooms.putRoom(room);
  }, [room]);

  const name = displayName(sub, room);
  const t = sub?.t ?? room?.t ?? 'c';
  const act = (fn: () => Promise<unknown>, after?: () => void) => async () => {
    setError(undefined);
    try {
      await fn();
      after?.();
    } catch (err) {
      setError(reasonOf(err));
    }
  };
  const toggle = (p: Panel) => setPanel(panel === p ? null : p);

  return (
    <div class={`room${panel ? ' with-panel' : ''}`}>
      <section class="room-main" aria-label={name}>
        <header class="room-head">
          <a
            href="/home"
            class="icon-button back"
            aria-label="Back to rooms"
            onClick={(e) => {
              e.preventDefault();
              app.router.navigate('/home');
            }}
          >
            <Icon name="back" />
          </a>
          <div class="room-title">
            <h1>{name}</h1>
            {room?.topic && <p class="topic">{room.topic}</p>}
          </div>
          <div class="row actions">
            {member && (
              <button type="button" class="icon-button" aria-label="Favorite" title="Favorite" aria-pressed={!!sub?.f} onClick={act(() => app.ddp.call('toggleFavorite', rid, !sub?.f))}>
                <Icon name="star" filled={!!sub?.f} />
              </button>
            )}
            <button type="button" class="icon-button" aria-label="Room info" title="Room info" aria-expanded={panel === 'info'} onClick={() => toggle('info')}>
              <Icon name="info" />
            </button>
            {t !== 'd' && (
              <button type="button" class="icon-button" aria-label="Members" title="Members" aria-expanded={panel === 'members'} onClick={() => toggle('members')}>
                <Icon name="users" />
              </button>
            )}
            {member && (
              <button type="button" class="text-button" onClick={act(() => app.ddp.call('hideRoom', rid), () => app.router.navigate('/home'))}>
                Hide
              </button>
            )}
            {member && t !== 'd' && (
              <button type="button" class="text-button" onClick={act(() => app.ddp.call('leaveRoom', rid), () => app.router.navigate('/home'))}>
                Leave
              </button>
            )}
          </div>
        </header>
        {error && (
          <p role="alert" class="error banner">
            {error}
          </p>
        )}
        {room?.announcement && <p class="announcement">{room.announcement}</p>}
        <MessageList view={view} myId={me?._id ?? ''} roles={(sub?.roles ?? []).join(',')} />
        <Typing view={view} />
        <ComposerArea view={view} room={room} sub={sub} username={me?.username ?? ''} />
      </section>
      {panel === 'info' && room && <RoomInfoPanel room={room} sub={sub} onClose={() => setPanel(null)} />}
      {panel === 'members' && room && <MembersPanel room={room} sub={sub} view={view} onClose={() => setPanel(null)} />}
    </div>
  );
}

function Typing({ view }: { view: RoomView }) {
  const names = view.typing.value;
  const text = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} are typing…`;
  return (
    <div role="status" class="typing" aria-live="polite">
      {text}
    </div>
  );
}

function ComposerArea({ view, room, sub, username }: { view: RoomView; room: Room | undefined; sub: Subscription | undefined; username: string }) {
  const app = useApp();
  const [error, setError] = useState<string>();
  if (!sub) {
    if (room?.t !== 'c') return null;
    return (
      <div class="composer-note">
        <span>You are reading this channel without being a member.</span>
        {error && <span role="alert">{error}</span>}
        <button type="button" class="primary" onClick={() => app.ddp.call('joinRoom', room._id).catch((err: unknown) => setError(reasonOf(err)))}>
          Join
        </button>
      </div>
    );
  }
  if (room?.archived || sub.archived) return <p class="composer-note">This room is archived: no new messages.</p>;
  if (room?.ro && !app.permissions.has('post-readonly', sub.roles)) return <p class="composer-note">This room is read only: only some members may write.</p>;
  if (username && room?.muted?.includes(username)) return <p class="composer-note">You have been muted in this room.</p>;
  return <Composer view={view} />;
}
