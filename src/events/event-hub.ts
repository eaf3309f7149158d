import type { Logger } from '../shared/logger.ts';
import type { EventsService, FeedEvent } from './events.service.ts';

/** One open stream, as the hub sees it; `events.routes.ts` writes these calls as SSE. */
export interface EventSubscriber {
  /** Only events of this course (jobs of items that are gone belong to none). */
  readonly courseId?: number;
  send(events: readonly FeedEvent[]): void;
  /** The changes since the client's last event are no longer known: it must refetch. */
  reset(seq: number): void;
  /** Live events follow `seq`; a client reconnecting from here misses nothing. */
  ready(seq: number): void;
  ping(): void;
  /** The hub is closing (the app shuts down): end the stream. */
  close(): void;
}

export interface EventHubOptions {
  /** How often the feed is read while anyone listens. */
  pollIntervalMs: number;
  /** A comment line this often keeps proxies and the server's idle-socket timeout from closing a quiet stream. */
  pingIntervalMs: number;
  /** Changes read per poll; a fuller backlog is read again at once. */
  batchSize?: number;
  /** A resume replaying more entities (of its course, when filtered) than this gets `reset` instead. */
  maxCatchUpEvents?: number;
  /**
   * A stream whose socket has not drained for this long is dropped (30 s by default). Applied by
   * the SSE writer (src/http/event-stream.ts), not the hub; here so that one set of `GET /events`
   * settings holds them all.
   */
  stallMs?: number;
  /** A stream leaving more than this unsent is dropped (16 MiB by default); as `stallMs`. */
  maxBufferedBytes?: number;
}

export type EventHub = ReturnType<typeof createEventHub>;

/**
 * One poller per app, whatever the number of streams: it reads the change feed only while at
 * least one subscriber is connected and fans each batch out to all of them. Everything runs
 * synchronously between polls (better-sqlite3), so a subscriber's catch-up and its first live
 * batch can neither overlap nor leave a gap.
 */
export function createEventHub(deps: { events: EventsService; logger: Logger } & EventHubOptions) {
  const { events, pollIntervalMs, pingIntervalMs } = deps;
  const batchSize = deps.batchSize ?? 1_000;
  const maxEvents = deps.maxCatchUpEvents ?? 1_000;
  const logger = deps.logger.child({ module: 'events' });
  const subscribers = new Set<EventSubscriber>();
  /** The last change delivered; null while nobody listens. */
  let cursor: number | null = null;
  let poll: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;

  const forSubscriber = (batch: readonly FeedEvent[], subscriber: EventSubscriber) =>
    subscriber.courseId === undefined
      ? batch
      : batch.filter((event) => event.courseId === subscriber.courseId);

  const each = (call: (subscriber: EventSubscriber) => void) => {
    for (const subscriber of [...subscribers]) {
      try {
        call(subscriber);
      } catch (error) {
        logger.warn({ err: error }, 'an event stream failed; closing it');
        subscribers.delete(subscriber);
        subscriber.close();
      }
    }
    if (subscribers.size === 0) stop();
  };

  const schedule = (delayMs: number) => {
    poll = setTimeout(tick, delayMs);
    poll.unref();
  };

  function tick() {
    poll = undefined;
    if (cursor === null) return;
    let more = false;
    try {
      const batch = events.read(cursor, batchSize);
      cursor = batch.lastSeq;
      if (batch.lost) {
        // What every client shows may be missing pruned changes: each refetches, live from here.
        const seq = batch.lastSeq;
        each((subscriber) => subscriber.reset(seq));
      } else {
        more = batch.more;
        if (batch.events.length)
          each((subscriber) => subscriber.send(forSubscriber(batch.events, subscriber)));
      }
    } catch (error) {
      // A transient read failure (a disk hiccup) must not end every stream; the next poll retries.
      logger.warn({ err: error }, 'reading the change feed failed');
    }
    if (cursor !== null) schedule(more ? 0 : pollIntervalMs);
  }

  function start(): number {
    const seq = events.latestSeq();
    cursor = seq;
    schedule(pollIntervalMs);
    ping = setInterval(() => each((subscriber) => subscriber.ping()), pingIntervalMs);
    ping.unref();
    return seq;
  }

  function stop() {
    cursor = null;
    clearTimeout(poll);
    clearInterval(ping);
    poll = undefined;
    ping = undefined;
  }

  return {
    /**
     * Adds a stream. With `lastEventId`, first sends what changed since that event (or `reset`
     * when that is no longer known). Returns the function that removes it again.
     */
    subscribe(subscriber: EventSubscriber, options: { lastEventId?: number } = {}): () => void {
      const seq = cursor ?? start();
      try {
        if (options.lastEventId !== undefined) {
          const missed = events.between(options.lastEventId, seq, {
            courseId: subscriber.courseId,
            maxEvents,
          });
          if (missed === null) subscriber.reset(seq);
          else if (missed.length) subscriber.send(forSubscriber(missed, subscriber));
        }
        subscriber.ready(seq);
      } catch (error) {
        if (subscribers.size === 0) stop();
        throw error;
      }
      subscribers.add(subscriber);
      return () => {
        if (subscribers.delete(subscriber) && subscribers.size === 0) stop();
      };
    },

    /** Ends every stream and stops polling; a later subscriber starts it again. */
    close(): void {
      const open = [...subscribers];
      subscribers.clear();
      stop();
      for (const subscriber of open) subscriber.close();
    },

    /** The slow-client limits the SSE writer applies to each stream. */
    streamLimits: { stallMs: deps.stallMs, maxBufferedBytes: deps.maxBufferedBytes },

    get subscribers(): number {
      return subscribers.size;
    },
  };
}
