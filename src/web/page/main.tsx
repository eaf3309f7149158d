import { render } from 'preact';
import { App } from './app.tsx';
import { LiveContext } from './hooks.ts';
import { createLive } from './live.ts';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(
    <LiveContext.Provider value={createLive()}>
      <App />
    </LiveContext.Provider>,
    root,
  );
}
