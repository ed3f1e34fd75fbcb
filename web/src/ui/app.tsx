import { useApp } from '../state/app-state';
import { Shell } from './shell';
import { SignIn } from './sign-in';

/** Signed in or not, and the connection state whenever it is not plain "connected". */
export function App() {
  const app = useApp();
  const ready = app.session.ready.value;
  const me = app.session.me.value;
  const status = app.ddp.status.value;
  return (
    <>
      {!ready ? <div class="splash" aria-busy="true" /> : me ? <Shell /> : <SignIn />}
      <div role="status" class={`connection ${status}`}>
        {status === 'offline' ? 'Reconnecting…' : status === 'connecting' ? 'Connecting…' : ''}
      </div>
    </>
  );
}
