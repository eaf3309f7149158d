/**
 * The server's API key, when it was started with one (API_KEY). The page asks for it when an
 * answer says `401 auth.*`, and keeps it in sessionStorage: for this tab's session only, so it
 * survives a reload but not closing the tab, and is never written to a URL (URLs are logged).
 */

export interface KeyState {
  /** The key requests carry, if any. */
  key: string | null;
  /** The server asked for a key the page does not have: show the prompt. */
  required: boolean;
  /** The key the page had was refused (the server was restarted with another, say). */
  rejected: boolean;
}

export interface KeyStore {
  readonly state: KeyState;
  /** `{ authorization: 'Bearer …' }` while a key is set, else nothing. */
  headers(): Record<string, string>;
  accept(key: string): void;
  forget(): void;
  /** The server answered 401 auth.* to a request made with `sent` (the key then, or null). */
  refused(sent: string | null): void;
  subscribe(listener: (state: KeyState) => void): () => void;
}

const STORAGE_NAME = 'canvas-notes:api-key';

export function createKeyStore(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null,
): KeyStore {
  // Storage can throw (disabled, full): the key then lasts as long as the page.
  const attempt = <T>(action: () => T, fallback: T): T => {
    try {
      return action();
    } catch {
      return fallback;
    }
  };
  let state: KeyState = {
    key: attempt(() => storage?.getItem(STORAGE_NAME) ?? null, null) || null,
    required: false,
    rejected: false,
  };
  const listeners = new Set<(state: KeyState) => void>();
  const set = (next: KeyState) => {
    state = next;
    if (next.key) attempt(() => storage?.setItem(STORAGE_NAME, next.key as string), undefined);
    else attempt(() => storage?.removeItem(STORAGE_NAME), undefined);
    for (const listener of listeners) listener(next);
  };

  return {
    get state() {
      return state;
    },
    headers: (): Record<string, string> => (state.key ? { authorization: `Bearer ${state.key}` } : {}),
    accept: (key) => set({ key, required: false, rejected: false }),
    forget: () => set({ key: null, required: true, rejected: false }),
    refused(sent) {
      // An answer to a request made before a newer key was accepted says nothing about it.
      if (sent !== state.key || (state.required && !state.key)) return;
      set({ key: null, required: true, rejected: sent !== null });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

const sessionStore = (() => {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
})();

/** The page's one key store. */
export const apiKey = createKeyStore(sessionStore);

/** Whether an error code is the server asking for the key (`auth.missing_key`, `auth.invalid_key`). */
export const isAuthCode = (code: string) => code.startsWith('auth.');

/**
 * Tries `key` on a cheap read before keeping it: `ok`, `wrong` (401), or what went wrong
 * otherwise (the server did not answer).
 */
export async function tryKey(key: string): Promise<'ok' | 'wrong' | { message: string }> {
  try {
    const response = await fetch('/jobs?limit=1', {
      headers: { accept: 'application/json', authorization: `Bearer ${key}` },
    });
    if (response.ok) return 'ok';
    if (response.status === 401) return 'wrong';
    return { message: `The server answered ${response.status}.` };
  } catch {
    return { message: 'The canvas-notes server did not answer.' };
  }
}
