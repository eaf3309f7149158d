import { apiKey } from './api-key.ts';
import type { ItemDetail, Job, RemovedItem } from './api-types.ts';
import { CLOSED, fetchEventSource, type StreamSource } from './fetch-event-source.ts';

/**
 * Live updates from `GET /events` (Server-Sent Events), with polling as the fallback: while the
 * stream is down (a proxy that drops it, a server restarting, one without the endpoint), listeners
 * get a `refetch` every `pollMs` and reload what they show. When the browser reconnects by itself
 * it resumes with Last-Event-ID, so the server sends what was missed; a new stream starts from
 * now, so listeners get one `refetch` when it opens for what changed before. A hidden tab holds
 * no stream (see `pause`), and gets that same `refetch` when it is shown again. With an API key,
 * the stream is read with `fetch` (EventSource cannot send it), in the same way.
 */
export type LiveEvent =
  | { type: 'item'; item: ItemDetail }
  | { type: 'job'; job: Job }
  | { type: 'item_removed'; removed: RemovedItem }
  | { type: 'refetch' };

export type LiveState = 'connecting' | 'live' | 'polling';

export interface Live {
  readonly state: LiveState;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  onState(listener: (state: LiveState) => void): () => void;
  close(): void;
}

export interface LiveOptions {
  url?: string;
  /** How often listeners reload while the stream is down. */
  pollMs?: number;
  /** How long to wait before opening a new stream after the server refused one. */
  reopenMs?: number;
}

export function createLive({ url = '/events', pollMs = 3_000, reopenMs = 30_000 }: LiveOptions = {}): Live {
  const listeners = new Set<(event: LiveEvent) => void>();
  const stateListeners = new Set<(state: LiveState) => void>();
  let state: LiveState = 'connecting';
  let source: StreamSource | null = null;
  let pollTimer: ReturnType<typeof setInterval> | undefined;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const emit = (event: LiveEvent) => {
    for (const listener of listeners) listener(event);
  };
  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  };
  const startPolling = () => {
    pollTimer ??= setInterval(() => emit({ type: 'refetch' }), pollMs);
  };
  const stopPolling = () => {
    clearInterval(pollTimer);
    pollTimer = undefined;
  };

  const open = () => {
    if (closed) return;
    source?.close();
    const key = apiKey.state.key;
    const stream: StreamSource = key
      ? fetchEventSource(url, { headers: apiKey.headers, onUnauthorized: () => apiKey.refused(key) })
      : (new EventSource(url) as unknown as StreamSource);
    source = stream;
    const on = <T>(name: string, wrap: (data: T) => LiveEvent) =>
      stream.addEventListener(name, (message) => {
        try {
          emit(wrap(JSON.parse(message.data) as T));
        } catch {
          // A line that is not JSON is not ours to act on.
        }
      });
    let resumes = false;
    on<ItemDetail>('item', (item) => ({ type: 'item', item }));
    on<Job>('job', (job) => ({ type: 'job', job }));
    on<RemovedItem>('item_removed', (removed) => ({ type: 'item_removed', removed }));
    on<unknown>('reset', () => ({ type: 'refetch' }));
    stream.onopen = () => {
      stopPolling();
      setState('live');
      if (!resumes) emit({ type: 'refetch' });
      resumes = true;
    };
    stream.onerror = () => {
      setState('polling');
      startPolling();
      // CONNECTING: the browser reconnects by itself, resuming with Last-Event-ID. CLOSED: the
      // server refused the stream (a 404 from a server without it), so try again much later.
      if (stream.readyState === CLOSED) {
        stream.close();
        clearTimeout(reopenTimer);
        reopenTimer = setTimeout(open, reopenMs);
      }
    };
  };

  // Over HTTP/1.1 a browser keeps at most six connections to a host, and every open tab's stream
  // holds one: the seventh tab would never load. So a hidden tab lets its stream (and its polling)
  // go; shown again, it opens a new stream, whose first `refetch` reloads what it missed.
  const pause = () => {
    source?.close();
    source = null;
    stopPolling();
    clearTimeout(reopenTimer);
    setState('connecting');
  };
  const onVisibility = () => {
    if (document.hidden) pause();
    else if (!source) open();
  };

  const canStream = typeof EventSource === 'function';
  // While the page asks for the key, a stream would only be refused; once one is accepted, a new
  // stream carries it.
  const stopKeyWatch = apiKey.subscribe((keys) => {
    if (!canStream || document.hidden) return;
    if (keys.required && !keys.key) pause();
    else open();
  });
  if (canStream) {
    document.addEventListener('visibilitychange', onVisibility);
    if (!document.hidden) open();
  } else {
    setState('polling');
    startPolling();
  }

  return {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      stopKeyWatch();
      if (canStream) document.removeEventListener('visibilitychange', onVisibility);
      source?.close();
      stopPolling();
      clearTimeout(reopenTimer);
    },
  };
}
