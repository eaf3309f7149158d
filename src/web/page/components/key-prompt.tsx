import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { apiKey, type KeyState, tryKey } from '../api-key.ts';

function useKeyState(): KeyState {
  const [state, setState] = useState(apiKey.state);
  useEffect(() => apiKey.subscribe(setState), []);
  return state;
}

/**
 * The page, or, while the server asks for its API key and the page has none, a form asking for
 * it. The page behind it is mounted anew once a key is accepted, so everything loads with it.
 */
export function KeyGate({ children }: { children: ComponentChildren }) {
  const state = useKeyState();
  if (state.required && !state.key) return <KeyPrompt rejected={state.rejected} />;
  return <>{children}</>;
}

function KeyPrompt({ rejected }: { rejected: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(
    rejected ? 'The key this tab had is no longer accepted: enter the current one.' : null,
  );
  const [pending, setPending] = useState(false);
  useEffect(() => input.current?.focus(), []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const key = input.current?.value.trim() ?? '';
    if (!key) return;
    setPending(true);
    const outcome = await tryKey(key);
    setPending(false);
    if (outcome === 'ok') {
      apiKey.accept(key);
      return;
    }
    setError(outcome === 'wrong' ? 'That is not the key this server was started with.' : outcome.message);
    input.current?.select();
  };

  return (
    <main id="main" class="key-prompt">
      <h1>canvas-notes</h1>
      <form onSubmit={submit} aria-labelledby="key-title">
        <h2 id="key-title">This server needs its API key</h2>
        <p>
          Enter the <code>API_KEY</code> the server was started with. This tab keeps it until it is closed.
        </p>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          ref={input}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'api-key-error' : undefined}
        />
        {error && (
          <p id="api-key-error" class="error-note" role="alert">
            {error}
          </p>
        )}
        <div class="buttons">
          <button type="submit" class="primary" disabled={pending}>
            {pending ? 'Checking…' : 'Continue'}
          </button>
        </div>
      </form>
    </main>
  );
}

/** "Forget key" in the header while the tab holds a key: the prompt comes back. */
export function ForgetKey() {
  const state = useKeyState();
  if (!state.key) return null;
  return (
    <button type="button" class="forget-key" onClick={() => apiKey.forget()}>
      Forget key
    </button>
  );
}
