import { render } from 'preact';
import { AppContext, AppState } from './state/app-state';
import { App } from './ui/app';
import './styles.css';

const app = new AppState(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/websocket`);
app.start();
addEventListener('online', () => app.ddp.reconnectNow());
render(
  <AppContext.Provider value={app}>
    <App />
  </AppContext.Provider>,
  document.getElementById('app')!,
);
