import { useState } from 'preact/hooks';
import { useApp } from '../state/app-state';
import { CreateChannelDialog, DirectMessageDialog } from './create-dialogs';
import { Icon } from './icons';
import { MenuButton } from './menu';
import { RoomScreen } from './room-screen';
import { Sidebar } from './sidebar';

/** The signed-in frame: sidebar (account, create, rooms) beside the open room. */
export function Shell() {
  const app = useApp();
  const me = app.session.me.value;
  const route = app.router.route.value;
  const [dialog, setDialog] = useState<'channel' | 'dm' | null>(null);
  const canCreate = app.permissions.has('create-c') || app.permissions.has('create-p');

  return (
    <div class={`shell${route.kind === 'room' ? ' in-room' : ''}`}>
      <aside class="sidebar">
        <div class="sidebar-head">
          <span class="me" title={me?.username}>
            {me?.username || 'Signed in'}
          </span>
          <div class="row">
            {canCreate && (
              <button type="button" class="icon-button" aria-label="Create channel" title="Create channel" onClick={() => setDialog('channel')}>
                <Icon name="plus" />
              </button>
            )}
            <button type="button" class="icon-button" aria-label="Direct message" title="Direct message" onClick={() => setDialog('dm')}>
              <Icon name="mail" />
            </button>
            <MenuButton label="Account" icon="menu" items={[{ label: 'Log out', onSelect: () => void app.session.logout().then(() => app.router.navigate('/')) }]} />
          </div>
        </div>
        <Sidebar />
      </aside>
      <main class="main">{route.kind === 'room' ? <RoomScreen t={route.t} roomKey={route.key} /> : <Home />}</main>
      {dialog === 'channel' && <CreateChannelDialog onClose={() => setDialog(null)} />}
      {dialog === 'dm' && <DirectMessageDialog onClose={() => setDialog(null)} />}
    </div>
  );
}

function Home() {
  return (
    <div class="home">
      <h1>Welcome</h1>
      <p class="muted">Pick a room on the left, create a channel, or start a direct message.</p>
    </div>
  );
}
