import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { roomPath } from '../state/rooms';
import type { Room, RoomType } from '../state/types';
import { reasonOf } from './dialog';
import { RoomPane } from './room-pane';

/**
 * Turns a URL (`/channel/<name>`, `/group/<name>`, `/direct/<rid>`) into a room: one of the
 * person's subscriptions (a hidden one is opened again), or a public channel to preview and join.
 */
export function RoomScreen({ t, roomKey }: { t: RoomType; roomKey: string }) {
  const app = useApp();
  // The room shown keeps its place while its own address changes (renamed, made private).
  const shown = useRef<{ rid: string; path: string } | null>(null);
  const byRoute = app.rooms.find(t, roomKey);
  const sub = byRoute ?? (shown.current?.path === location.pathname ? app.rooms.subs.value.get(shown.current.rid) : undefined);
  if (byRoute) shown.current = { rid: byRoute.rid, path: location.pathname };
  const loaded = app.rooms.loaded.value;
  const [outside, setOutside] = useState<Room | null>(null);
  const [error, setError] = useState<string>();

  // A hidden room opened from a link comes back to the sidebar (openRoom).
  useEffect(() => {
    if (sub && sub.open === false) app.ddp.call('openRoom', sub.rid).catch(() => undefined);
  }, [sub?.rid, sub?.open]);

  // Not subscribed: look the room up (a public channel can be read before joining).
  useEffect(() => {
    setError(undefined);
    setOutside(null);
    if (sub || !loaded) return;
    let cancelled = false;
    const lookup = t === 'd' ? app.ddp.call<Room>('getRoomById', roomKey) : app.ddp.call<Room>('getRoomByTypeAndName', t, roomKey);
    lookup.then(
      (room) => !cancelled && setOutside(room),
      (err) => !cancelled && setError(reasonOf(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [t, roomKey, !!sub, loaded]);

  // After a rename or a change of type, the address follows the room.
  useEffect(() => {
    if (!sub) return;
    const path = roomPath(sub.t, sub.name, sub.rid);
    if (path !== location.pathname && sub.t !== 'd') app.router.navigate(path, true);
  }, [sub?.name, sub?.t]);

  if (sub) return <RoomPane key={`${sub.rid}:member`} rid={sub.rid} sub={sub} />;
  if (outside) return <RoomPane key={`${outside._id}:guest`} rid={outside._id} sub={undefined} preview={outside} />;
  if (error)
    return (
      <div class="home">
        <h1>Room not found</h1>
        <p role="alert">{error}</p>
      </div>
    );
  return <div class="home" aria-busy="true" />;
}
