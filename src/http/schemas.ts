import { z } from 'zod';
import { ARTIFACT_KINDS, ITEM_STATUSES, JOB_KINDS, JOB_STATES, SOURCE_STATUSES } from '../db/schema.ts';
import { FOUND_IN, SOURCE_PROVIDERS } from '../transcripts/transcript-provider.ts';

/**
 * Plain decimal digits matching `pattern` (no `1e3`, `0x1A`, signs or fractions), as a number no
 * larger than 2^53 - 1, where JavaScript numbers stop being exact. A longer run of digits is
 * well-formed but too large, and says so. (The transform runs only once the pattern matched.)
 */
export const digits = (pattern: RegExp, message: string) =>
  z.string().regex(pattern, message).transform(Number).refine(Number.isSafeInteger, 'is too large');

/** Canvas ids are positive integers. */
export const idSchema = digits(/^[1-9][0-9]*$/, 'must be a positive integer id');

export const idParams = z.object({ id: idSchema });

/**
 * Every query string is a strict object: a misspelt key (`?forse=true`, `?statee=failed`) is a
 * 400 rather than silently ignored, since ignoring it answers a question the client did not ask.
 */
const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((value) => value === 'true' || value === '1');

export const forceQuery = z.strictObject({
  force: flag.describe('`true` (or `1`) does the work again even when it is already done.'),
});

export const bulkQuery = z.strictObject({
  force: flag.describe('`true` (or `1`) does the work again even when it is already done.'),
  include: z
    .enum(['readings'])
    .optional()
    .describe('`readings` also covers pages and files whose text is the source; by default only recordings.'),
});

const isoDate = z.iso.datetime();
export const nullableDate = isoDate.nullable();

export const errorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const syncCountsSchema = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
});

export const courseSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  course_code: z.string().nullable(),
  term_name: z.string().nullable(),
  workflow_state: z.string().nullable(),
  last_synced_at: nullableDate,
  updated_at: isoDate,
});

export const moduleSchema = z.object({
  id: z.number().int(),
  course_id: z.number().int(),
  title: z.string(),
  position: z.number().int(),
  item_count: z.number().int(),
  last_synced_at: isoDate,
});

export const jobSchema = z.object({
  id: z.number().int(),
  item_id: z.number().int().nullable(),
  kind: z.enum(JOB_KINDS),
  state: z.enum(JOB_STATES),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  progress: z
    .object({ current: z.number().int(), total: z.number().int(), message: z.string().nullable() })
    .nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: isoDate,
  updated_at: isoDate,
  started_at: nullableDate,
  finished_at: nullableDate,
});

export const mediaLinkSchema = z.object({ provider: z.enum(SOURCE_PROVIDERS), url: z.string() });

export const mediaSourceSchema = z.object({
  provider: z.enum(SOURCE_PROVIDERS),
  /** The provider's reference: Panopto session id, Canvas media id, YouTube video id, Zoom share URL, file or page. */
  ref: z.string(),
  url: z.string().nullable(),
  title: z.string().nullable(),
  found_in: z.enum(FOUND_IN),
  status: z.enum(SOURCE_STATUSES),
  error_code: z.string().nullable(),
  error: z.string().nullable(),
});

export const itemSchema = z.object({
  id: z.number().int(),
  course_id: z.number().int(),
  module_id: z.number().int(),
  position: z.number().int(),
  type: z.string(),
  title: z.string(),
  indent: z.number().int(),
  canvas_url: z.string().nullable(),
  external_url: z.string().nullable(),
  provider: z.string().nullable(),
  media_url: z.string().nullable(),
  status: z.enum(ITEM_STATUSES),
  error: z.string().nullable(),
  error_code: z.string().nullable(),
  transcript_path: z.string().nullable(),
  summary_path: z.string().nullable(),
  /** The links of the item's recordings; `media_url` is the first's. */
  media_links: z.array(mediaLinkSchema),
  /** The recordings and readings found in the item, in order; `provider` is the first's. */
  media_sources: z.array(mediaSourceSchema),
  updated_at: isoDate,
});

export const artifactSchema = z.object({
  id: z.number().int(),
  item_id: z.number().int(),
  kind: z.enum(ARTIFACT_KINDS),
  /** Where the file is, as DATA_DIR was configured (like `transcript_path`). */
  path: z.string(),
  created_at: isoDate,
  content_hash: z.string(),
  bytes: z.number().int(),
  source_hash: z.string().nullable(),
  /** Summaries only: the model that wrote the notes (`offline` for the offline summarizer). */
  model: z.string().nullable(),
  usage: z
    .object({ prompt_tokens: z.number().int().nullable(), completion_tokens: z.number().int().nullable() })
    .nullable(),
});

/** An item with its current job and its artifact records (as `GET /items/{id}/artifacts`). */
export const itemDetailSchema = itemSchema.extend({
  job: jobSchema.nullable(),
  artifacts: z.array(artifactSchema),
});

export const MAX_PAGE_LIMIT = 200;
export const DEFAULT_PAGE_LIMIT = 50;

const limitMessage = `must be an integer from 1 to ${MAX_PAGE_LIMIT}`;

/**
 * The one pager of every list: `limit` (1–200, default 50) and `offset` (default 0). A limit above
 * the maximum is refused rather than clamped, so a client never mistakes a shortened page for the
 * end of the list. Spread its shape into a list's strict query schema.
 */
export const pageQuery = z.strictObject({
  limit: digits(/^(0|[1-9][0-9]*)$/, limitMessage)
    .pipe(z.number().min(1, limitMessage).max(MAX_PAGE_LIMIT, `must be at most ${MAX_PAGE_LIMIT}`))
    .default(DEFAULT_PAGE_LIMIT)
    .describe(
      `Page size, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}); more is refused, not clamped.`,
    ),
  offset: digits(/^(0|[1-9][0-9]*)$/, 'must be a non-negative integer')
    .default(0)
    .describe('Entries to skip (default 0).'),
});

/** A query value that may repeat (`?status=A&status=B`) or list values with commas (`?status=A,B`). */
const repeatable = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((value) =>
      (Array.isArray(value) ? value : [value])
        .flatMap((part) => part.split(','))
        .map((part) => part.trim())
        .filter((part) => part !== ''),
    )
    .pipe(z.array(z.enum(values)));

/** The providers a client may filter on: the first source's, or `none`. */
const LISTED_PROVIDERS = [...SOURCE_PROVIDERS, 'none'] as const;

/** C0, DEL and C1 controls: no title holds one, and a NUL would reach SQLite's LIKE. */
export const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * Filters of `GET /items`. Unknown parameters are refused: a misspelt filter would otherwise
 * silently return every item.
 */
export const listItemsQuery = z.strictObject({
  course_id: idSchema.optional(),
  module_id: idSchema.optional(),
  status: repeatable(ITEM_STATUSES)
    .optional()
    .describe(`Any of ${ITEM_STATUSES.join(', ')}: repeat the parameter or separate values with commas.`),
  provider: z
    .enum(LISTED_PROVIDERS)
    .optional()
    .describe(`${SOURCE_PROVIDERS.join(', ')}, or \`none\` for items that hold no recording or reading.`),
  search: z
    .string()
    .max(200)
    .refine((value) => !CONTROL_CHARACTER.test(value), 'must not contain control characters')
    .trim()
    .optional()
    .describe('Case-insensitive text in the title; `%` and `_` match themselves.'),
  ...pageQuery.shape,
});

export const transcriptSegmentSchema = z.object({
  /** Null for transcripts made from captions without times. */
  start_ms: z.number().int().nullable(),
  start: z.string().nullable(),
  text: z.string(),
  /**
   * The recording opened at this moment, where its host allows it (Panopto, YouTube); null for
   * other hosts, untimed text and items holding several recordings.
   */
  link: z.string().nullable(),
  /**
   * 0-based index in `sources` of the recording or reading the segment is from (the order of the
   * text's `## heading`s). Each recording restarts at 00:00:00: only this tells equal times apart.
   */
  source: z.number().int().nonnegative(),
});

export const transcriptSourceSchema = z.object({
  /** As the text heads its section (it writes headings only when there are several). */
  heading: z.string(),
  provider: z.string(),
  url: z.string().nullable(),
});

export const transcriptJsonSchema = z.object({
  item_id: z.number().int(),
  segments: z.array(transcriptSegmentSchema),
  /** From the cues file; empty for a transcript without one, whose segments are all source 0. */
  sources: z.array(transcriptSourceSchema),
  text: z.string(),
});

export const itemTranscriptUploadSchema = z.object({
  item_id: z.number().int(),
  transcript_path: z.string(),
  bytes: z.number().int(),
});

/** Notes written before summaries kept a record have `null` in every record field. */
export const summaryJsonSchema = z.object({
  item_id: z.number().int(),
  markdown: z.string(),
  /** The model that wrote the notes as the server named it; `offline` for the offline summarizer. */
  model: z.string().nullable(),
  created_at: isoDate,
  /** `openai` (any OpenAI-compatible server) or `offline`. */
  summarizer: z.string().nullable(),
  /** The prompt (or offline algorithm) version, as in `PROMPT_VERSION`. */
  prompt_version: z.string().nullable(),
  /** Parts the transcript was summarized in (1 when it fitted one request). */
  parts: z.number().int().nullable(),
  /** Model requests made, redone ones included. */
  calls: z.number().int().nullable(),
  /** Tokens in and out summed over the requests, as the server reported them. */
  usage: z
    .object({ prompt_tokens: z.number().int().nullable(), completion_tokens: z.number().int().nullable() })
    .nullable(),
  wall_ms: z.number().int().nullable(),
  /** Parts whose notes were left out (the model found nothing in them, twice). */
  left_out: z.array(
    z.object({
      part: z.number().int(),
      start_ms: z.number().int().nullable(),
      reason: z.enum(['empty_reply', 'nothing_to_summarize']),
    }),
  ),
  /** Times removed from the notes because they fell outside the transcript's range. */
  times_dropped: z.number().int().nullable(),
});

/** The error statuses the API answers with (see the README's Endpoints section). */
export type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 415 | 422 | 502 | 503 | 504;

/**
 * Response schemas for the error statuses one route can answer, listed per route so the OpenAPI
 * document promises no more than the route does: cache reads `400, 404` (and `409` for a file
 * gone missing), state-changing routes `403` (a cross-origin browser request), and only the
 * routes that call Canvas `502, 503, 504`.
 */
export function errorResponses<const S extends readonly ErrorStatus[]>(
  ...statuses: S
): Record<S[number], typeof errorSchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorSchema])) as Record<
    S[number],
    typeof errorSchema
  >;
}
