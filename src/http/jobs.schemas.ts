import { z } from 'zod';
import { ITEM_STATUSES, JOB_KINDS, JOB_STATES } from '../db/schema.ts';
import { BULK_SKIP_REASONS } from '../jobs/jobs.service.ts';
import { idSchema, jobSchema, pageQuery } from './schemas.ts';

/** Filters of `GET /jobs`, with the shared pager; unknown parameters are refused. */
export const jobsListQuery = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  kind: z.enum(JOB_KINDS).optional(),
  item_id: idSchema.optional(),
  course_id: idSchema.optional(),
  ...pageQuery.shape,
});

export const jobsListBody = z.object({
  jobs: z.array(jobSchema),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const jobBody = z.object({ job: jobSchema });

export const bulkJobsBody = z.object({
  jobs: z.array(jobSchema),
  skipped: z.array(z.object({ item_id: z.number().int(), reason: z.enum(BULK_SKIP_REASONS) })),
});

const counts = <const K extends readonly string[]>(keys: K) =>
  z.object(Object.fromEntries(keys.map((key) => [key, z.number().int()])) as Record<K[number], z.ZodNumber>);

export const courseProgressBody = z.object({
  course_id: z.number().int(),
  total: z.number().int(),
  by_status: counts(ITEM_STATUSES),
  jobs: counts(JOB_STATES),
});
