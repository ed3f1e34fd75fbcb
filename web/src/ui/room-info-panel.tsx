import { useEffect, useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { Icon } from './icons';
import type { Room, Subscription } from '../state/types';
import { Dialog, reasonOf } from './dialog';

interface Fields {
  name: string;
  topic: string;
  announcement: string;
  description: string;
  private: boolean;
  readOnly: boolean;
  archived: boolean;
}

const fieldsOf = (room: Room): Fields => ({
  name: room.fname || room.name || '',
  topic: room.topic ?? '',
  announcement: room.announcement ?? '',
  description: room.description ?? '',
  private: room.t === 'p',
  readOnly: !!room.ro,
  archived: !!room.archived,
});

/** Room info and settings: read by everyone, saved (`saveRoomSettings`, archive) by those with `edit-room`. */
export function RoomInfoPanel({ room, sub, onClose }: { room: Room; sub: Subscription | undefined; onClose(): void }) {
  const app = useApp();
  const roles = sub?.roles ?? [];
  const canEdit = room.t !== 'd' && app.permissions.has('edit-room', roles);
  const canDelete = app.permissions.has(`delete-${room.t}`, roles);
  const canArchive = app.permissions.has(room.archived ? 'unarchive-room' : 'archive-room', roles);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(room));
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState(false);
  const [confirming, setConfirming] = useState(false);

  // Changes made elsewhere show up while nothing is being edited here.
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (!dirty) setFields(fieldsOf(room));
  }, [room, dirty]);

  const set = <K extends keyof Fields>(key: K, value: Fields[K]) => {
    setDirty(true);
    setSaved(false);
    setFields({ ...fields, [key]: value });
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    setSaved(false);
    const was = fieldsOf(room);
    const changes: Record<string, unknown> = {};
    if (fields.name.trim() !== was.name) changes.roomName = fields.name.trim();
    if (fields.topic !== was.topic) changes.roomTopic = fields.topic;
    if (fields.announcement !== was.announcement) changes.roomAnnouncement = fields.announcement;
    if (fields.description !== was.description) changes.roomDescription = fields.description;
    if (fields.private !== was.private) changes.roomType = fields.private ? 'p' : 'c';
    if (fields.readOnly !== was.readOnly) changes.readOnly = fields.readOnly;
    try {
      if (Object.keys(changes).length > 0) await app.ddp.call('saveRoomSettings', room._id, changes);
      if (fields.archived !== was.archived) await app.ddp.call(fields.archived ? 'archiveRoom' : 'unarchiveRoom', room._id);
      setDirty(false);
      setSaved(true);
    } catch (err) {
      setError(reasonOf(err));
    }
  };

  const erase = async () => {
    try {
      await app.ddp.call('eraseRoom', room._id);
      setConfirming(false);
      app.router.navigate('/home');
    } catch (err) {
      setConfirming(false);
      setError(reasonOf(err));
    }
  };

  const text = (label: string, key: 'name' | 'topic' | 'announcement' | 'description', multiline = false) => (
    <label>
      {label}
      {multiline ? (
        <textarea rows={2} readOnly={!canEdit} value={fields[key]} onInput={(e) => set(key, e.currentTarget.value)} />
      ) : (
        <input readOnly={!canEdit} value={fields[key]} onInput={(e) => set(key, e.currentTarget.value)} />
      )}
    </label>
  );
  const check = (label: string, key: 'private' | 'readOnly' | 'archived', allowed = canEdit) => (
    <label class="check">
      <input type="checkbox" disabled={!allowed} checked={fields[key]} onChange={(e) => set(key, e.currentTarget.checked)} />
      {label}
    </label>
  );

  return (
    <aside class="panel" aria-label="Room info">
      <div class="panel-head">
        <h2>Room info</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <form class="stack" onSubmit={save}>
        {room.t !== 'd' && text('Name', 'name')}
        {text('Topic', 'topic')}
        {text('Announcement', 'announcement', true)}
        {text('Description', 'description', true)}
        {room.t !== 'd' && check('Private', 'private')}
        {room.t !== 'd' && check('Read-only', 'readOnly')}
        {room.t !== 'd' && check('Archived', 'archived', canEdit && canArchive)}
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        {saved && <p class="ok">Saved.</p>}
        {canEdit && (
          <button type="submit" class="primary">
            Save
          </button>
        )}
        {!canEdit && <p class="muted">Only owners and moderators change these settings.</p>}
      </form>
      {canDelete && (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Delete room
        </button>
      )}
      {confirming && (
        <Dialog title="Delete room?" onClose={() => setConfirming(false)}>
          <p>Every message of {room.fname || room.name} is deleted with it. This cannot be undone.</p>
          <div class="row end">
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" class="danger" onClick={() => void erase()}>
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </aside>
  );
}
