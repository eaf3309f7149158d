import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { EventHub } from '../../events/event-hub.ts';
import type { FeedEvent } from '../../events/events.service.ts';
import type { FileStore } from '../../storage/file-store.ts';
import { openEventStream, sseEvent } from '../event-stream.ts';
import { eventsHeaders, eventsQuery } from '../events.schemas.ts';
import { documentMediaTypes } from '../openapi-media.ts';
import { presentItemDetail, presentJob } from '../presenters.ts';
import { errorResponses } from '../schemas.ts';

const DESCRIPTION = [
  'Server-Sent Events. `event: item` (data: the item as `GET /items/{id}` answers it), `event: job`',
  '(data: the job as `GET /jobs/{id}`), `event: item_removed` (data: `{id, course_id, module_id}`),',
  "each with `id:` its change sequence number. A job's change also sends its item (whose detail shows the",
  'job) just before it, without an `id:` of its own. `Last-Event-ID` (or `?last_event_id=`) first sends',
  'what changed since; `event: reset` (data `{}`) when that is no longer kept (or a live stream fell',
  'further behind than the feed keeps): refetch what you show.',
  'Starts with `retry:` and an `id:` line that marks where live events begin; `: ping` every 15 s.',
  'A client that cannot hold a stream polls `GET /items/{id}` or `GET /courses/{id}/progress`.',
].join(' ');

/** `GET /events`: item and job changes, live, from the change feed (see src/events/). */
export const eventsRoutes: FastifyPluginAsyncZod<{ hub: EventHub; files: FileStore }> = async (
  app,
  { hub, files },
) => {
  // The same event objects go to every stream: present each once.
  const formatted = new WeakMap<FeedEvent, string>();
  const format = (event: FeedEvent): string => {
    let text = formatted.get(event);
    if (text === undefined) {
      text =
        event.type === 'item'
          ? sseEvent('item', event.forJob ? null : event.seq, presentItemDetail(event.detail, files))
          : event.type === 'job'
            ? sseEvent('job', event.seq, presentJob(event.job))
            : sseEvent('item_removed', event.seq, {
                id: event.id,
                course_id: event.courseId,
                module_id: event.moduleId,
              });
      formatted.set(event, text);
    }
    return text;
  };

  // Before the server stops accepting: an open stream would otherwise hold app.close() forever.
  app.addHook('preClose', (done) => {
    hub.close();
    done();
  });

  app.get(
    '/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Live changes of items and jobs, as Server-Sent Events',
        description: DESCRIPTION,
        querystring: eventsQuery,
        headers: eventsHeaders,
        response: { 200: z.string(), ...errorResponses(400) },
      },
      config: {
        swaggerTransform: documentMediaTypes('The event stream', {
          'text/event-stream': z
            .string()
            .describe('`event:`, `id:` and `data:` lines, a blank line after each event.'),
        }),
      },
    },
    async (request, reply) => {
      const { course_id, last_event_id } = request.query;
      // The header wins: EventSource sends it on reconnect, newer than the URL the page opened.
      const lastEventId = request.headers['last-event-id'] ?? last_event_id;
      openEventStream({
        request,
        reply,
        hub,
        format,
        courseId: course_id,
        lastEventId,
        limits: hub.streamLimits,
      });
    },
  );
};
