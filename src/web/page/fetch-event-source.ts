import { createParser } from 'eventsource-parser';

/**
 * The part of `EventSource` the live updates use, read with `fetch` so that requests can carry
 * the API key: `EventSource` cannot send headers. It behaves as the browser's does: a refused
 * stream (any status but 200, or not `text/event-stream`) is CLOSED for good; a dropped one
 * reconnects after the server's `retry:` delay, resuming with `Last-Event-ID`.
 */
export interface StreamSource {
  readonly readyState: 0 | 1 | 2;
  onopen: (() => void) | null;
  onerror: (() => void) | null;
  addEventListener(type: string, listener: (message: { data: string }) => void): void;
  close(): void;
}

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 2;

export interface FetchEventSourceOptions {
  /** Headers of each request (read per attempt, so a new key is used at once). */
  headers: () => Record<string, string>;
  /** Told of a 401, before `onerror`. */
  onUnauthorized?: () => void;
  /** Reconnect delay until the server names one (as browsers default it). */
  retryMs?: number;
  fetch?: typeof globalThis.fetch;
}

export function fetchEventSource(url: string, options: FetchEventSourceOptions): StreamSource {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const listeners = new Map<string, Set<(message: { data: string }) => void>>();
  let retryMs = options.retryMs ?? 3_000;
  let lastEventId = '';
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const parser = createParser({
    onEvent(event) {
      if (event.id !== undefined) lastEventId = event.id;
      for (const listener of listeners.get(event.event ?? 'message') ?? []) listener({ data: event.data });
    },
    onRetry(ms) {
      retryMs = ms;
    },
  });

  const source: StreamSource = {
    readyState: CONNECTING,
    onopen: null,
    onerror: null,
    addEventListener(type, listener) {
      const set = listeners.get(type) ?? new Set();
      set.add(listener);
      listeners.set(type, set);
    },
    close() {
      setState(CLOSED);
      controller?.abort();
      clearTimeout(timer);
    },
  };
  const setState = (state: 0 | 1 | 2) => {
    (source as { readyState: 0 | 1 | 2 }).readyState = state;
  };

  const fail = (reconnect: boolean) => {
    if (source.readyState === CLOSED) return;
    setState(reconnect ? CONNECTING : CLOSED);
    source.onerror?.();
    if (reconnect && source.readyState === CONNECTING) timer = setTimeout(connect, retryMs);
  };

  async function connect(): Promise<void> {
    controller = new AbortController();
    const { signal } = controller;
    parser.reset();
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: {
          accept: 'text/event-stream',
          ...options.headers(),
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
        cache: 'no-store',
        signal,
      });
    } catch {
      if (!signal.aborted) fail(true);
      return;
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/event-stream') || !response.body) {
      if (response.status === 401) options.onUnauthorized?.();
      void response.body?.cancel();
      fail(false);
      return;
    }
    if (source.readyState === CLOSED) return;
    setState(OPEN);
    source.onopen?.();
    try {
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
    } catch {
      // Dropped mid-stream, or closed on purpose (then `fail` does nothing).
    }
    fail(true);
  }

  void connect();
  return source;
}
