import { describe, expect, it, vi } from 'vitest';
import { createKeyStore } from './api-key.ts';

function memoryStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (name: string) => values.get(name) ?? null,
    setItem: (name: string, value: string) => void values.set(name, value),
    removeItem: (name: string) => void values.delete(name),
  };
}

describe('the API key store', () => {
  it('keeps an accepted key in the session storage and sends it as a bearer token', () => {
    const storage = memoryStorage();
    const store = createKeyStore(storage);
    expect(store.headers()).toEqual({});
    store.accept('k'.repeat(32));
    expect(store.headers()).toEqual({ authorization: `Bearer ${'k'.repeat(32)}` });
    // A reload of the tab: a new store over the same storage.
    expect(createKeyStore(storage).state.key).toBe('k'.repeat(32));
  });

  it('asks for a key on a refusal, and drops a refused key as rejected', () => {
    const storage = memoryStorage({ 'canvas-notes:api-key': 'stale' });
    const store = createKeyStore(storage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.refused('stale');
    expect(store.state).toEqual({ key: null, required: true, rejected: true });
    expect(storage.values.size).toBe(0);
    expect(listener).toHaveBeenCalledOnce();
    // The refusals of the other requests made with it change nothing more.
    store.refused('stale');
    store.refused(null);
    expect(listener).toHaveBeenCalledOnce();
  });

  it('ignores the refusal of a request made before a newer key was accepted', () => {
    const store = createKeyStore(memoryStorage());
    store.refused(null);
    store.accept('new-key');
    store.refused(null);
    expect(store.state).toEqual({ key: 'new-key', required: false, rejected: false });
  });

  it('forgets the key on request, and works without storage', () => {
    const store = createKeyStore(null);
    store.accept('key');
    store.forget();
    expect(store.state).toEqual({ key: null, required: true, rejected: false });
    const throwing = createKeyStore({
      getItem: () => {
        throw new Error('disabled');
      },
      setItem: () => {
        throw new Error('disabled');
      },
      removeItem: () => {},
    });
    throwing.accept('key');
    expect(throwing.state.key).toBe('key');
  });
});
