import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { errorInfo } from './api.ts';
import type { ErrorInfo } from './api-types.ts';
import type { Live, LiveEvent, LiveState } from './live.ts';

export const LiveContext = createContext<Live | null>(null);

/** Calls the latest `handler` for every live event (and every poll while the stream is down). */
export function useLiveEvents(handler: (event: LiveEvent) => void): void {
  const live = useContext(LiveContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => live?.subscribe((event) => latest.current(event)), [live]);
}

export function useLiveState(): LiveState {
  const live = useContext(LiveContext);
  const [state, setState] = useState<LiveState>(live?.state ?? 'polling');
  useEffect(() => {
    if (!live) return;
    setState(live.state);
    return live.onState(setState);
  }, [live]);
  return state;
}

export interface Resource<T> {
  data: T | undefined;
  error: ErrorInfo | null;
  loading: boolean;
  /** Loads again, keeping what is shown until the answer comes. */
  reload(): Promise<void>;
  set(update: (current: T | undefined) => T | undefined): void;
}

/**
 * Data loaded by `load`, again whenever `key` changes. An answer that arrives after a newer
 * load started (a slow reload, a route already left) is dropped. A reload's answer goes through
 * `merge` with what is shown (see snapshots.ts): events may have brought newer data meanwhile.
 */
export function useResource<T>(
  load: () => Promise<T>,
  key: unknown,
  merge: (shown: T | undefined, loaded: T) => T = (_shown, loaded) => loaded,
): Resource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loader = useRef(load);
  loader.current = load;
  const merger = useRef(merge);
  merger.current = merge;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loader.current();
      if (mine !== generation.current) return;
      setData((shown) => merger.current(shown, value));
      setError(null);
    } catch (thrown) {
      if (mine === generation.current) setError(errorInfo(thrown));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    setData(undefined);
    setError(null);
    void reload();
    return () => {
      generation.current++;
    };
  }, [key, reload]);

  return { data, error, loading, reload, set: setData };
}

/** One action in flight at a time, with its error kept for display until the next try. */
export function useAction<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const latest = useRef(run);
  latest.current = run;
  const start = useCallback(async (...args: A) => {
    setPending(true);
    setError(null);
    try {
      await latest.current(...args);
    } catch (thrown) {
      setError(errorInfo(thrown));
    } finally {
      setPending(false);
    }
  }, []);
  return { start, pending, error };
}
