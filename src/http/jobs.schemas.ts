import { z } from 'zod';
import { ITEM_STATUSES, JOB_KINDS, JOB_STATES } from '../db/schema.ts';
import { BULK_SKIP_REASONS } from '../jobs/jobs.service.ts';
import { idSchema, jobSchema } from './schemas.ts';

/** A whole number from the query string: plain digits only (no `1e2`, signs or fractions). */
const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const JOBS_PAGE_MAX = 200;

export const jobsListQuery = z.object({
  state: z.enum(JOB_STATES).optional(),
  kind: z.enum(JOB_KINDS).optional(),
  item_id: idSchema.optional(),
  course_id: idSchema.optional(),
  limit: queryInt(1, JOBS_PAGE_MAX).default(50).describe(`Page size, 1 to ${JOBS_PAGE_MAX}; 50 by default.`),
  offset: queryInt(0, 1_000_000_000).default(0).describe('Jobs to skip; 0 by default.'),
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
