/** One dispatched Server-Sent Event (a block with data), as EventSource would deliver it. */
export interface SseEvent {
  event: string;
  /** The last event id at dispatch (EventSource's `lastEventId`). */
  id: string;
  data: string;
}

export interface SseStream {
  response: Response;
  /** Events in arrival order. */
  events: SseEvent[];
  /** Comment lines (`: ping`) in arrival order, without the colon. */
  comments: string[];
  /** The last `retry:` value seen. */
  retry(): number | undefined;
  /** The id EventSource would send as Last-Event-ID on reconnect. */
  lastEventId(): string;
  /** The first event (from `from` on) matching `match`, waiting for it up to `timeoutMs`. */
  next(
    match: (event: SseEvent) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * A small SSE client over fetch, parsing as the WHATWG spec says: lines end in CRLF, LF or CR;
 * `field: value` with one optional space; a blank line dispatches; an `id:` block with no data
 * sets the last event id without dispatching.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  let retry: number | undefined;
  let lastEventId = '';
  let failure: unknown;
  let block = { event: '', data: [] as string[], id: undefined as string | undefined };

  const line = (text: string) => {
    if (text === '') {
      if (block.id !== undefined) lastEventId = block.id;
      if (block.data.length)
        events.push({ event: block.event || 'message', id: lastEventId, data: block.data.join('\n') });
      block = { event: '', data: [], id: undefined };
      for (const wake of waiters) wake();
      return;
    }
    if (text.startsWith(':')) {
      comments.push(text.slice(1).trim());
      for (const wake of waiters) wake();
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') block.event = value;
    else if (field === 'data') block.data.push(value);
    else if (field === 'id' && !value.includes('\0')) block.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
  };

  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body) {
        buffered += decoder.decode(chunk, { stream: true });
        const parts = buffered.split(/\r\n|\n|\r/);
        buffered = parts.pop() ?? '';
        for (const part of parts) line(part);
      }
    } catch (error) {
      // Ours when we aborted; otherwise the connection broke, which ends the stream all the same.
      if (!controller.signal.aborted) failure = error;
    } finally {
      for (const wake of waiters) wake();
    }
  })();
  let done = false;
  void ended.then(() => {
    done = true;
  });

  return {
    response,
    events,
    comments,
    retry: () => retry,
    lastEventId: () => lastEventId,
    async next(match, { from = 0, timeoutMs = 5_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        if (done) {
          throw new Error(
            `stream ended without the event (${String(failure ?? 'closed')}); got ${JSON.stringify(events)}`,
          );
        }
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    ended,
    close: () => controller.abort(),
  };
}
