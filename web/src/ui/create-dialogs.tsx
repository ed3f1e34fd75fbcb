import { useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { roomPath } from '../state/rooms';
import { ErrorAlert, useAction } from './action';
import { Dialog, DialogActions } from './dialog';

/** Create channel: a public one through `createChannel`, a private one through `createPrivateGroup`; the new room opens. */
export function CreateChannelDialog({ onClose }: { onClose(): void }) {
  const app = useApp();
  const [name, setName] = useState('');
  const [priv, setPriv] = useState(false);
  const [readOnly, setReadOnly] = useState(false);
  const [members, setMembers] = useState('');
  const { error, busy, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    const usernames = members
      .split(/[\s,]+/)
      .map((u) => u.replace(/^@/, '').trim())
      .filter(Boolean);
    void run(async () => {
      const room = await app.ddp.call<{ rid: string; name: string }>(priv ? 'createPrivateGroup' : 'createChannel', name.trim(), usernames, readOnly);
      onClose();
      app.router.navigate(roomPath(priv ? 'p' : 'c', room.name, room.rid));
    });
  };

  return (
    <Dialog title="Create channel" onClose={onClose}>
      <form class="stack" onSubmit={submit}>
        <label>
          Name
          <input name="name" required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label class="check">
          <input type="checkbox" checked={priv} onChange={(e) => setPriv(e.currentTarget.checked)} />
          Private
        </label>
        <label class="check">
          <input type="checkbox" checked={readOnly} onChange={(e) => setReadOnly(e.currentTarget.checked)} />
          Read-only
        </label>
        <label>
          Members
          <input name="members" placeholder="alice, bob" value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
        </label>
        <ErrorAlert error={error} />
        <DialogActions submit="Create" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

/** Direct message: `createDirectMessage` with one username; the DM opens. */
export function DirectMessageDialog({ onClose }: { onClose(): void }) {
  const app = useApp();
  const [username, setUsername] = useState('');
  const { error, busy, run } = useAction();

  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const dm = await app.ddp.call<{ rid: string }>('createDirectMessage', username.trim().replace(/^@/, ''));
      onClose();
      app.router.navigate(roomPath('d', '', dm.rid));
    });
  };

  return (
    <Dialog title="Direct message" onClose={onClose}>
      <form class="stack" onSubmit={submit}>
        <label>
          Username
          <input name="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <ErrorAlert error={error} />
        <DialogActions submit="Start" busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
