import { z } from 'zod';
import { ITEM_STATUSES } from '../db/schema.ts';
import { SEARCH_KINDS } from '../search/search.documents.ts';
import { CONTROL_CHARACTER, digits, idSchema, pageQuery } from './schemas.ts';

export const SEARCH_MAX_LIMIT = 50;
const searchLimitMessage = `must be an integer from 1 to ${SEARCH_MAX_LIMIT}`;

/** `GET /search`. The query language is described on the route (search.routes.ts). */
export const searchQuery = z.strictObject({
  q: z
    .string()
    .refine((value) => !CONTROL_CHARACTER.test(value), 'must not contain control characters')
    .trim()
    .min(1, 'must not be empty')
    .max(500, 'must be at most 500 characters')
    .describe('What to look for: words, "quoted phrases", a trailing * for a prefix, OR between two terms.'),
  course_id: idSchema.optional().describe("Only this course's items."),
  module_id: idSchema.optional().describe("Only this module's items."),
  limit: digits(/^(0|[1-9][0-9]*)$/, searchLimitMessage)
    .pipe(z.number().min(1, searchLimitMessage).max(SEARCH_MAX_LIMIT, `must be at most ${SEARCH_MAX_LIMIT}`))
    .default(20)
    .describe(`Results per page, 1 to ${SEARCH_MAX_LIMIT} (default 20); more is refused, not clamped.`),
  offset: pageQuery.shape.offset,
});

export const searchResultSchema = z.object({
  item_id: z.number().int(),
  course_id: z.number().int(),
  module_id: z.number().int(),
  title: z.string(),
  type: z.string(),
  status: z.enum(ITEM_STATUSES),
  provider: z.string().nullable(),
  /** Where the item's best match is. */
  match: z.enum(SEARCH_KINDS),
  /** HTML: the matching text, escaped, each match in `<mark>`…`</mark>`; a title match is the title. */
  snippet: z.string(),
  /** When the matching passage starts in the recording; null for titles, readings, untimed text. */
  start_ms: z.number().int().nullable(),
  start: z.string().nullable(),
  /** The recording at that moment where its host allows it; null otherwise, and for several recordings. */
  link: z.string().nullable(),
});

export const searchPageSchema = z.object({
  /** The query as read (trimmed). */
  query: z.string(),
  results: z.array(searchResultSchema),
  /** Matching items in all, whatever the page. */
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
