import { z } from 'zod';
import { ARTIFACT_KINDS, ITEM_STATUSES, JOB_KINDS, JOB_STATES } from '../db/schema.ts';
import { PROVIDER_NAMES } from '../transcripts/transcript-provider.ts';

/**
 * Canvas ids are positive integers. Only plain decimal digits are accepted (no `1e3`, `0x1A`,
 * signs or fractions), and nothing above 2^53 - 1, where JavaScript numbers stop being exact.
 */
export const idSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,15}$/, 'must be a positive integer id')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');

export const idParams = z.object({ id: idSchema });

export const forceQuery = z.object({
  force: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((value) => value === 'true' || value === '1'),
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

export const mediaLinkSchema = z.object({ provider: z.enum(PROVIDER_NAMES), url: z.string() });

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
  /** Every recording link found in the item; `media_url` is the one a transcript fetch reads. */
  media_links: z.array(mediaLinkSchema),
  updated_at: isoDate,
});

export const itemDetailSchema = itemSchema.extend({ job: jobSchema.nullable() });

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

/** Non-negative integers in a query string, digits only. */
const queryInteger = (message: string) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, message)
    .transform(Number)
    .refine(Number.isSafeInteger, 'is too large');

export const MAX_PAGE_LIMIT = 200;
export const DEFAULT_PAGE_LIMIT = 50;

/**
 * `limit` (1–200, default 50) and `offset` (default 0). A limit above the maximum is refused
 * rather than clamped, so a client never mistakes a shortened page for the end of the list.
 */
export const pageQuery = z.object({
  limit: queryInteger(`must be an integer from 1 to ${MAX_PAGE_LIMIT}`)
    .pipe(
      z
        .number()
        .min(1, `must be an integer from 1 to ${MAX_PAGE_LIMIT}`)
        .max(MAX_PAGE_LIMIT, `must be at most ${MAX_PAGE_LIMIT}`),
    )
    .default(DEFAULT_PAGE_LIMIT)
    .describe(
      `Items per page, 1 to ${MAX_PAGE_LIMIT} (default ${DEFAULT_PAGE_LIMIT}); more is refused, not clamped.`,
    ),
  offset: queryInteger('must be a non-negative integer').default(0).describe('Items to skip (default 0).'),
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
    .enum([...PROVIDER_NAMES, 'none'])
    .optional()
    .describe('A transcript provider, or `none` for items that link to no recording.'),
  search: z
    .string()
    .max(200)
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
});

export const transcriptJsonSchema = z.object({
  item_id: z.number().int(),
  segments: z.array(transcriptSegmentSchema),
  text: z.string(),
});

export const summaryJsonSchema = z.object({
  item_id: z.number().int(),
  markdown: z.string(),
  model: z.string().nullable(),
  created_at: isoDate,
});

/** Response schemas for the error statuses every route may answer. */
export const errorResponses = {
  400: errorSchema,
  404: errorSchema,
  409: errorSchema,
  422: errorSchema,
  502: errorSchema,
  503: errorSchema,
  504: errorSchema,
};
