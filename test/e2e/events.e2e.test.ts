import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { DepsOverrides } from '../../src/deps.ts';
import { createFakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import type { Summarizer } from '../../src/summarize/summarizer.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { COURSE_ID, lectureCourse } from '../helpers/lecture-course.ts';
import { call, useServiceProcesses } from '../helpers/service-process.ts';
import { openSse, type SseEvent, type SseStream } from '../helpers/sse.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** Demo lectures: one in course 101, one in course 102. */
const BIO_LECTURE = 10001;
const ECON_LECTURE = 20001;

type Json = Record<string, unknown> & { id: number };
const data = (event: SseEvent) => JSON.parse(event.data) as Json;
const isItem = (id: number, status?: string) => (event: SseEvent) =>
  event.event === 'item' && data(event).id === id && (status === undefined || data(event).status === status);
const isJob = (match: (job: Json) => boolean) => (event: SseEvent) =>
  event.event === 'job' && match(data(event));

/**
 * A summarizer that reports its first half and then waits for the test, so the test can see a
 * job's progress while it runs instead of racing it.
 */
function gatedSummarizer() {
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const notes = createFakeSummarizer();
  const summarizer: Summarizer = {
    name: 'fake',
    settingsKey: 'gated',
    async summarize(input, options) {
      options.onProgress?.({ current: 1, total: 2, message: 'First half' });
      await gate;
      return notes.summarize(input, options);
    },
  };
  return { summarizer, open };
}

describe('GET /events', () => {
  let t: TestApp;
  const streams: SseStream[] = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await t.close();
  });

  async function start(options: { overrides?: DepsOverrides; corsOrigins?: string[] } = {}) {
    t = await createTestApp({
      config: { http: { corsOrigins: options.corsOrigins ?? [] } },
      overrides: { events: { pollIntervalMs: 10 }, ...options.overrides },
    });
    await syncDemo(t.app, [101, 102]);
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const open = async (path = '/events', headers: Record<string, string> = {}) => {
      const stream = await openSse(`${base}${path}`, headers);
      streams.push(stream);
      // The first block sets the id live events follow: the stream is subscribed once it came.
      await waitFor(() => stream.lastEventId() !== '', { what: 'the stream to start' });
      return stream;
    };
    const post = async (path: string) => {
      const response = await fetch(`${base}${path}`, { method: 'POST' });
      expect(response.status, await response.clone().text()).toBeLessThan(300);
      return (await response.json()) as { job: Json };
    };
    return { base, open, post };
  }

  it("streams a summary's job progress and then the item's move to SUMMARY_READY", async () => {
    const gated = gatedSummarizer();
    const { base, open, post } = await start({ overrides: { summarizer: gated.summarizer } });
    t.deps.runner.start();
    const stream = await open();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-cache');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.retry()).toBe(3_000);

    const { job } = await post(`/items/${BIO_LECTURE}/summarize`);
    const progress = await stream.next(
      isJob((row) => row.id === job.id && row.state === 'running' && row.progress !== null),
    );
    expect(data(progress).progress).toEqual({ current: 1, total: 2, message: 'First half' });
    gated.open();
    const ready = await stream.next(isItem(BIO_LECTURE, 'SUMMARY_READY'));
    const done = await stream.next(isJob((row) => row.id === job.id && row.state === 'succeeded'));

    const { events } = stream;
    expect(events.indexOf(progress)).toBeLessThan(events.indexOf(ready));
    const ids = events.map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Only an item event sent for its job's change repeats the id before it (it has none of its
    // own), and its job's event follows it.
    events.forEach((event, index) => {
      if (index === 0 || event.id !== events[index - 1]?.id) return;
      const after = events[index + 1];
      expect(event.event).toBe('item');
      expect(after?.event === 'job' && data(after).item_id).toBe(data(event).id);
    });
    // The data is what the detail and job endpoints answer, artifacts and all. The item's last
    // change (its job finishing) can reach the stream a poll after the job's own event, so wait
    // for the two to agree rather than compare at the moment the job event came.
    const detail = await waitFor(
      async () => {
        const current = (await (await fetch(`${base}/items/${BIO_LECTURE}`)).json()) as Json & {
          artifacts: Array<{ kind: string }>;
        };
        const latestItem = events.filter(isItem(BIO_LECTURE)).at(-1);
        return latestItem && isDeepStrictEqual(data(latestItem), current) && current;
      },
      { what: 'the last item event to equal GET /items/{id}' },
    );
    expect(detail.artifacts.map((artifact) => artifact.kind)).toEqual(['transcript', 'cues', 'summary']);
    expect(data(done)).toEqual(await (await fetch(`${base}/jobs/${job.id}`)).json());
  });

  it('sends only the events of the course asked for', async () => {
    const { open, post } = await start();
    const everything = await open();
    const econ = await open('/events?course_id=102');
    await post(`/items/${BIO_LECTURE}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();
    await everything.next(isItem(BIO_LECTURE, 'TRANSCRIPT_READY'));
    await post(`/items/${ECON_LECTURE}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();
    // Events reach every stream in the same order, so the course 101 ones came before this.
    await econ.next(isItem(ECON_LECTURE, 'TRANSCRIPT_READY'));
    expect(everything.events.some(isItem(BIO_LECTURE))).toBe(true);
    expect(econ.events.filter((event) => event.event === 'job').length).toBeGreaterThan(0);
    for (const event of econ.events) {
      const body = data(event);
      expect(event.event === 'job' ? body.item_id : body.course_id).toBe(
        event.event === 'job' ? ECON_LECTURE : 102,
      );
    }
  });

  it('resumes after Last-Event-ID (or ?last_event_id=) with what changed while it was away', async () => {
    const { open, post } = await start();
    const first = await open();
    const resumeFrom = first.lastEventId();
    first.close();
    await waitFor(() => t.deps.events.subscribers === 0, { what: 'the first stream to go' });

    const { job } = await post(`/items/${BIO_LECTURE}/summarize`);
    await t.deps.runner.runUntilEmpty();

    for (const resumed of [
      await open('/events', { 'last-event-id': resumeFrom }),
      await open(`/events?last_event_id=${resumeFrom}`),
    ]) {
      // Sent before the stream goes live, each entity once, as it is now.
      expect(resumed.events.some((event) => event.event === 'reset')).toBe(false);
      expect(resumed.events.filter(isItem(BIO_LECTURE))).toHaveLength(1);
      expect(resumed.events.filter(isItem(BIO_LECTURE, 'SUMMARY_READY'))).toHaveLength(1);
      expect(
        resumed.events.filter(isJob((row) => row.id === job.id && row.state === 'succeeded')),
      ).toHaveLength(1);
    }
    const fresh = await open();
    expect(fresh.events).toEqual([]);
    // The header wins over the query: the browser sends it on reconnect, with the newer id.
    const both = await open(`/events?last_event_id=${resumeFrom}`, { 'last-event-id': fresh.lastEventId() });
    expect(both.events).toEqual([]);
  });

  it('sends reset when the changes since the last event are no longer kept, then goes on live', async () => {
    const { open, post } = await start();
    const first = await open();
    const resumeFrom = first.lastEventId();
    first.close();
    // More changes than the feed keeps, written straight into it: ids of jobs that never existed.
    const insert = t.deps.db.$client.prepare("insert into changes (entity, entity_id) values ('job', 0)");
    t.deps.db.$client.transaction(() => {
      for (let change = 0; change < 12_000; change += 1) insert.run();
    })();
    const latest = t.deps.db.get<{ seq: number }>(sql`select max(seq) as seq from changes`).seq;

    for (const stale of [resumeFrom, String(latest + 1_000)]) {
      const resumed = await open('/events', { 'last-event-id': stale });
      expect(resumed.events.map((event) => [event.event, event.data, event.id])).toEqual([
        ['reset', '{}', String(latest)],
      ]);
      expect(resumed.lastEventId()).toBe(String(latest));
    }
    await post(`/items/${BIO_LECTURE}/fetch-transcript`);
    await streams.at(-1)?.next(isJob((row) => row.item_id === BIO_LECTURE));
  });

  it('sends reset rather than replay more entities than a page would refetch more cheaply', async () => {
    const { open, post } = await start({
      overrides: { events: { pollIntervalMs: 10, maxCatchUpEvents: 3 } },
    });
    const first = await open();
    const resumeFrom = first.lastEventId();
    first.close();
    await post(`/items/${BIO_LECTURE}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();
    // One item and one job: within the limit.
    const within = await open('/events', { 'last-event-id': resumeFrom });
    expect(within.events.map((event) => event.event)).toEqual(['item', 'job']);
    // Gone, so that the next stream starts the hub afresh, at the newest change.
    within.close();
    await waitFor(() => t.deps.events.subscribers === 0, { what: 'the stream to go' });
    await post(`/items/${ECON_LECTURE}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();
    expect(
      (await open('/events', { 'last-event-id': resumeFrom })).events.map((event) => event.event),
    ).toEqual(['reset']);
  });

  it("replays a filtered stream's own course after more changes of another than the cap, not a reset", async () => {
    const { open, post } = await start({
      overrides: { events: { pollIntervalMs: 10, maxCatchUpEvents: 3 } },
    });
    const first = await open('/events?course_id=102');
    const resumeFrom = first.lastEventId();
    first.close();
    await waitFor(() => t.deps.events.subscribers === 0, { what: 'the stream to go' });
    // All six items of course 101 change: past the cap, but none of them course 102's.
    t.deps.db.$client.prepare("update items set error = 'changed' where course_id = 101").run();
    await post(`/items/${ECON_LECTURE}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();

    const econ = await open('/events?course_id=102', { 'last-event-id': resumeFrom });
    expect(econ.events.map((event) => [event.event, data(event).course_id ?? data(event).item_id])).toEqual([
      ['item', 102],
      ['job', ECON_LECTURE],
    ]);
    // The same range unfiltered is past the cap.
    const everything = await open('/events', { 'last-event-id': resumeFrom });
    expect(everything.events.map((event) => event.event)).toEqual(['reset']);
  });

  it('sends reset to live streams when one transaction makes more changes than the feed keeps', async () => {
    const { open, post } = await start();
    const streamsOpen = [await open(), await open('/events?course_id=101')];
    // Committed between two polls, the oldest of them pruned before any poll could read them.
    const insert = t.deps.db.$client.prepare("insert into changes (entity, entity_id) values ('job', 0)");
    t.deps.db.$client.transaction(() => {
      for (let change = 0; change < 11_000; change += 1) insert.run();
    })();
    const latest = t.deps.db.get<{ seq: number }>(sql`select max(seq) as seq from changes`).seq;
    for (const stream of streamsOpen) {
      const reset = await stream.next((event) => event.event === 'reset');
      expect([reset.id, reset.data]).toEqual([String(latest), '{}']);
    }
    await post(`/items/${BIO_LECTURE}/fetch-transcript`);
    for (const stream of streamsOpen) await stream.next(isJob((row) => row.item_id === BIO_LECTURE));
  });

  describe('a client that stops reading', () => {
    /** A stream whose client never reads: what is sent fills the sockets' buffers, then ours. */
    async function openUnread(base: string) {
      const url = new URL(base);
      const accepted: Socket[] = [];
      t.app.server.on('connection', (socket: Socket) => accepted.push(socket));
      const client = connect(Number(url.port), url.hostname);
      client.on('error', () => {});
      await once(client, 'connect');
      const server = await waitFor(() => accepted.find((socket) => socket.remotePort === client.localPort), {
        what: 'the server to accept',
      });
      client.write(`GET /events HTTP/1.1\r\nHost: ${url.host}\r\nAccept: text/event-stream\r\n\r\n`);
      client.pause();
      await waitFor(() => t.deps.events.subscribers === 1, { what: 'the stream to start' });
      return { client, server };
    }

    /** Large item events (an item's `error` is shown whole) until the server gives up on the stream. */
    async function flood(server: Socket) {
      const setError = t.deps.db.$client.prepare('update items set error = ? where id = ?');
      const deadline = Date.now() + 10_000;
      for (let round = 0; !server.destroyed; round += 1) {
        if (Date.now() > deadline) throw new Error('the unread stream was never dropped');
        setError.run(`${round} ${'x'.repeat(256 * 1024)}`, BIO_LECTURE);
        await sleep(10);
      }
    }

    it.each([
      ['leaves too much unsent', { maxBufferedBytes: 1024 * 1024, stallMs: 60_000 }, 'not read'],
      ['does not drain for too long', { maxBufferedBytes: 2 ** 30, stallMs: 300 }, 'stalled'],
    ])('is disconnected when it %s, freeing what was buffered for it', async (_, limits, reason) => {
      const { base } = await start({ overrides: { events: { pollIntervalMs: 10, ...limits } } });
      const { client, server } = await openUnread(base);
      try {
        await flood(server);
        expect(t.logs.some((line) => line.includes(`event stream ${reason}; dropping it`))).toBe(true);
        expect(t.deps.events.subscribers).toBe(0);
        await waitFor(() => server.writableLength === 0, { what: 'the buffered events to be let go' });
        // Read at last, the stream ends after what the kernel still held, instead of staying open.
        // `close` whether it ends or is reset: the server may not wait for every byte to go.
        const closed = new Promise((resolve) => client.once('close', resolve));
        client.resume();
        await closed;
      } finally {
        client.destroy();
      }
    });
  });

  it('answers a malformed filter or Last-Event-ID with the usual JSON 400 (and a foreign Host 403), before any stream', async () => {
    t = await createTestApp();
    for (const [url, headers, code] of [
      ['/events?course_id=abc', {}, 'request.invalid_querystring'],
      ['/events?cours_id=101', {}, 'request.invalid_querystring'],
      ['/events?last_event_id=-1', {}, 'request.invalid_querystring'],
      ['/events', { 'last-event-id': 'yesterday' }, 'request.invalid_headers'],
      // The DNS-rebinding guard runs first, as for every route.
      ['/events', { host: 'rebound.example:8000' }, 'request.host_not_allowed'],
    ] as const) {
      const response = await t.app.inject({ method: 'GET', url, headers });
      expect(response.statusCode, url).toBe(code === 'request.host_not_allowed' ? 403 : 400);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json().error.code).toBe(code);
    }
  });

  it('carries the CORS headers of a listed origin and pings a quiet stream', async () => {
    const dashboard = 'http://localhost:5173';
    const { open } = await start({ corsOrigins: [dashboard], overrides: { events: { pingIntervalMs: 20 } } });
    const stream = await open('/events', { origin: dashboard });
    expect(stream.response.headers.get('access-control-allow-origin')).toBe(dashboard);
    await waitFor(() => stream.comments.includes('ping'), { what: 'a ping' });
  });

  it('answers HEAD with the stream headers and no stream', async () => {
    const { base } = await start();
    const response = await fetch(`${base}/events`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(t.deps.events.subscribers).toBe(0);
  });

  it('stops reading the feed when the last stream goes, and ends every stream on app.close rather than waiting on them', async () => {
    const { open } = await start();
    const streamsOpen = [await open(), await open('/events?course_id=101')];
    expect(t.deps.events.subscribers).toBe(2);
    streamsOpen[0]?.close();
    await waitFor(() => t.deps.events.subscribers === 1, { what: 'the hub to drop the stream' });

    const again = await open();
    const started = Date.now();
    await t.app.close();
    // An open stream left to itself holds app.close() for as long as the client stays (forever
    // here); the bound only has to tell that apart from a prompt close on a loaded machine.
    expect(Date.now() - started).toBeLessThan(5_000);
    await Promise.all([streamsOpen[1]?.ended, again.ended]);
    expect(t.deps.events.subscribers).toBe(0);
  });
});

describe('GET /events with jobs run by `npm run worker`', () => {
  const processes = useServiceProcesses();

  it('streams the changes another process makes, read from the database', async () => {
    const { course, env } = await processes.startAccount(
      (panopto) => {
        const lectures = lectureCourse({ panoptoOrigin: panopto.origin, lectures: 1 });
        lectures.serveAll(panopto);
        return { course: lectures, state: lectures.state };
      },
      { RUN_WORKER: 'false' },
    );
    const api = await processes.startApi(env);
    await call(api, 'POST', '/me/courses/refresh');
    await call(api, 'POST', `/courses/${COURSE_ID}/modules/refresh`);
    const [lecture = 0] = course.lectureIds;
    const stream = await openSse(`${api.url}/events?course_id=${COURSE_ID}`);
    try {
      await waitFor(() => stream.lastEventId() !== '', { what: 'the stream to start' });
      await call(api, 'POST', `/items/${lecture}/summarize`);
      processes.start('src/worker.ts', env);
      // The API's own runner is off: every one of these changes was written by the worker.
      await stream.next(isItem(lecture, 'SUMMARY_READY'), { timeoutMs: 20_000 });
      await stream.next(isJob((job) => job.item_id === lecture && job.state === 'succeeded'));
    } finally {
      stream.close();
    }
  });
});
