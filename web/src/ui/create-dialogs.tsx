import { useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { roomPath } from '../state/rooms';
import { Dialog, reasonOf } from './dialog';

/** Create channel: a public one through `createChannel`, a private one through `createPrivateGroup`; the new room opens. */
export function CreateChannelDialog({ onClose }: { onClose(): void }) {
  const app = useApp();
  const [name, setName] = useState('');
  const [priv, setPriv] = useState(false);
  const [readOnly, setReadOnly] = useState(false);
  const [members, setMembers] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const usernames = members
      .split(/[\s,]+/)
      .map((u) => u.replace(/^@/, '').trim())
      .filter(Boolean);
    try {
      const room = await app.ddp.call<{ rid: string; name: string; t: 'c' | 'p' }>(priv ? 'createPrivateGroup' : 'createChannel', name.trim(), usernames, readOnly);
      onClose();
      app.router.navigate(roomPath(priv ? 'p' : 'c', room.name, room.rid));
    } catch (err) {
      setError(reasonOf(err));
      setBusy(false);
    }
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
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Create
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Direct message: `createDirectMessage` with one username; the DM opens. */
export function DirectMessageDialog({ onClose }: { onClose(): void }) {
  const app = useApp();
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const dm = await app.ddp.call<{ rid: string }>('createDirectMessage', username.trim().replace(/^@/, ''));
      onClose();
      app.router.navigate(roomPath('d', '', dm.rid));
    } catch (err) {
      setError(reasonOf(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title="Direct message" onClose={onClose}>
      <form class="stack" onSubmit={submit}>
        <label>
          Username
          <input name="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
        <div class="row end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            Start
          </button>
        </div>
      </form>
    </Dialog>
  );
}
