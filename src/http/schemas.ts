import { z } from 'zod';
import { ITEM_STATUSES, JOB_KINDS, JOB_STATES } from '../db/schema.ts';

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
  updated_at: isoDate,
});

export const itemDetailSchema = itemSchema.extend({ job: jobSchema.nullable() });

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
