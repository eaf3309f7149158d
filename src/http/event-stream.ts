import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventHub, EventSubscriber } from '../events/event-hub.ts';
import type { FeedEvent } from '../events/events.service.ts';

/** How long EventSource waits before reconnecting after the stream drops. */
const RETRY_MS = 3_000;

/**
 * A client that stops reading while events keep coming would make us buffer without bound: one
 * whose socket has not drained for `stallMs`, or that leaves `maxBufferedBytes` unsent, is
 * disconnected. It reconnects with Last-Event-ID and resumes where it stopped.
 */
export interface SlowClientLimits {
  stallMs?: number;
  maxBufferedBytes?: number;
}
const STALL_MS = 30_000;
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/**
 * One event as SSE lines; the data is one line of JSON (JSON escapes every newline). With no id
 * the client's last event id stays what it was.
 */
export const sseEvent = (event: string, id: number | null, data: unknown) =>
  `event: ${event}\n${id === null ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;

/**
 * Turns the reply into an SSE stream subscribed to `hub` until the client leaves or the hub
 * closes. The reply is hijacked (Fastify neither serialises nor ends it), so everything a hook
 * set on it (CORS headers) is copied onto the raw response here.
 */
export function openEventStream(options: {
  request: FastifyRequest;
  reply: FastifyReply;
  hub: EventHub;
  format: (event: FeedEvent) => string;
  courseId?: number;
  lastEventId?: number;
  limits?: SlowClientLimits;
}): void {
  const { request, reply, hub, format } = options;
  const stallMs = options.limits?.stallMs ?? STALL_MS;
  const maxBufferedBytes = options.limits?.maxBufferedBytes ?? MAX_BUFFERED_BYTES;
  reply.hijack();
  const res = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    // nginx and similar proxies would otherwise hold events back to fill a buffer.
    'x-accel-buffering': 'no',
  });
  if (request.method === 'HEAD') {
    res.end();
    return;
  }

  let unsubscribe = () => {};
  let stalled: NodeJS.Timeout | undefined;
  const end = () => {
    unsubscribe();
    clearTimeout(stalled);
    if (!res.writableEnded) res.end();
  };
  // Not `end()`: that would only queue the end behind what the client is not reading, keeping
  // the socket and all of it until the connection times out. Destroying frees both now.
  const drop = (reason: string) => {
    request.log.info({ buffered: res.writableLength }, reason);
    unsubscribe();
    clearTimeout(stalled);
    res.destroy();
  };
  const write = (text: string) => {
    if (res.writableEnded || res.destroyed) return;
    const flushed = res.write(text);
    if (res.writableLength > maxBufferedBytes) drop('event stream not read; dropping it');
    else if (!flushed && stalled === undefined) {
      stalled = setTimeout(() => drop('event stream stalled; dropping it'), stallMs);
      res.once('drain', () => {
        clearTimeout(stalled);
        stalled = undefined;
      });
    }
  };
  const subscriber: EventSubscriber = {
    courseId: options.courseId,
    send: (events) => {
      for (const event of events) write(format(event));
    },
    reset: (seq) => write(sseEvent('reset', seq, {})),
    ready: (seq) => write(`id: ${seq}\n\n`),
    ping: () => write(': ping\n\n'),
    close: () => end(),
  };
  res.on('error', (error) => request.log.debug({ err: error }, 'event stream error'));
  res.once('close', () => {
    unsubscribe();
    clearTimeout(stalled);
    request.log.debug('event stream closed');
  });

  write(`retry: ${RETRY_MS}\n\n`);
  try {
    unsubscribe = hub.subscribe(subscriber, { lastEventId: options.lastEventId });
  } catch (error) {
    // The headers are sent: all that is left is to end; EventSource retries after RETRY_MS.
    request.log.error({ err: error }, 'could not open the event stream');
    end();
  }
}
