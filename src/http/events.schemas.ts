import { z } from 'zod';
import { digits, idSchema } from './schemas.ts';

/** An event id of `GET /events`: the sequence number of a change (0 before the first one). */
const eventIdSchema = digits(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer event id');

export const eventsQuery = z.strictObject({
  course_id: idSchema.optional().describe("Only events of this course's items and of their jobs."),
  last_event_id: eventIdSchema
    .optional()
    .describe('Resume after this event, for clients that cannot send `Last-Event-ID` (the header wins).'),
});

/** Loose: only `Last-Event-ID` is read, every other header passes through as it came. */
export const eventsHeaders = z.looseObject({
  'last-event-id': eventIdSchema.optional().describe('Sent by EventSource on reconnect: resume after it.'),
});
