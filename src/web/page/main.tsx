import { render } from 'preact';
import { App } from './app.tsx';
import { KeyGate } from './components/key-prompt.tsx';
import { LiveContext } from './hooks.ts';
import { createLive } from './live.ts';

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(
    <LiveContext.Provider value={createLive()}>
      <KeyGate>
        <App />
      </KeyGate>
    </LiveContext.Provider>,
    root,
  );
}
