import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import type { RoomView } from '../state/room-view';
import type { Message } from '../state/types';
import { reasonOf } from './dialog';
import { Markdown } from './markdown';
import { memo } from './memo';
import { MenuButton, type MenuItem } from './menu';
import { systemText } from './system-message';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

interface Props {
  message: Message;
  view: RoomView;
  /** The viewer's roles in the room, comma-separated (a string, so an unchanged value is equal). */
  roles: string;
  mine: boolean;
  grouped: boolean;
}

/** One message as an article named by its author and text; system messages in words. */
export const MessageItem = memo(function MessageItem({ message: m, view, roles: roleList, mine, grouped }: Props) {
  const app = useApp();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string>();
  const idU = `m-${m._id}-u`;
  const idB = `m-${m._id}-b`;
  const time = (
    <time dateTime={m.ts.toISOString()} title={fullFormat.format(m.ts)}>
      {timeFormat.format(m.ts)}
    </time>
  );

  const system = systemText(m);
  if (system !== undefined) {
    return (
      <article class="message system" aria-labelledby={idB}>
        <p id={idB}>
          {system}
        </p>
        {time}
      </article>
    );
  }

  const roles = roleList ? roleList.split(',') : [];
  const perms = app.permissions;
  const settings = app.settings;
  const canEdit = perms.has('edit-message', roles) || (mine && settings.bool('Message_AllowEditing'));
  const canDelete =
    perms.has('force-delete-message', roles) || perms.has('delete-message', roles) || (mine && settings.bool('Message_AllowDeleting') && perms.has('delete-own-message', roles));
  const items: MenuItem[] = [];
  if (canEdit) items.push({ label: 'Edit', onSelect: () => setEditing(true) });
  if (canDelete)
    items.push({
      label: 'Delete',
      danger: true,
      onSelect: () => view.remove(m).catch((err: unknown) => setError(reasonOf(err))),
    });

  return (
    <article class={`message${grouped ? ' grouped' : ''}${mine ? ' mine' : ''}`} aria-labelledby={`${idU} ${idB}`}>
      <header class="message-head">
        <span id={idU} class="author">
          {m.u?.username}
        </span>
        {m.u?.name && m.u.name !== m.u.username && <span class="muted name">{m.u.name}</span>}
        {time}
        {m.editedAt && <span class="edited muted">edited</span>}
      </header>
      {editing ? (
        <EditBox
          initial={m.msg}
          onCancel={() => setEditing(false)}
          onSave={async (text) => {
            try {
              await view.edit(m, text);
              setEditing(false);
            } catch (err) {
              setError(reasonOf(err));
            }
          }}
        />
      ) : (
        <div id={idB} class="body">
          <Markdown md={m.md} fallback={m.msg} />
        </div>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {!editing && <MenuButton label="Message actions" items={items} />}
    </article>
  );
});

function EditBox({ initial, onSave, onCancel }: { initial: string; onSave(text: string): Promise<void>; onCancel(): void }) {
  const [text, setText] = useState(initial);
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  return (
    <form
      class="edit-box"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(text);
      }}
    >
      <textarea
        aria-label="Edit message"
        value={text}
        ref={box}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            void onSave(text);
          }
        }}
      />
      <div class="row end">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary">
          Save
        </button>
      </div>
    </form>
  );
}
