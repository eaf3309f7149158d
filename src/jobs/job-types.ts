import { z } from 'zod';
import type { JobKind } from '../db/schema.ts';
import { createJobPayloadInvalidError } from './jobs.errors.ts';

export type { JobKind };

const itemJobPayload = z.object({
  item_id: z.number().int().positive(),
  /** Redo the work even when the artifact is already up to date. */
  force: z.boolean().optional(),
});

/**
 * One payload schema per job kind. The payload is parsed when a job is enqueued and again when
 * it is claimed, because a row may have been written by an older version of the code.
 */
export const jobPayloadSchemas = {
  fetch_transcript: itemJobPayload,
  summarize: itemJobPayload,
} as const satisfies Record<JobKind, z.ZodType>;

export type JobPayload<K extends JobKind = JobKind> = z.infer<(typeof jobPayloadSchemas)[K]>;

/** Validates `payload` for `kind`, throwing `jobs.payload_invalid` (422) with the zod issues summarised. */
export function parseJobPayload<K extends JobKind>(kind: K, payload: unknown): JobPayload<K> {
  const result = jobPayloadSchemas[kind].safeParse(payload);
  if (result.success) return result.data as JobPayload<K>;
  throw createJobPayloadInvalidError({
    message: `Invalid ${kind} payload: ${result.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ')}`,
    cause: result.error,
  });
}

/** The key of the partial unique index: at most one active job per (kind, item). */
export function jobIdempotencyKey(kind: JobKind, itemId: number): string {
  return `${kind}:${itemId}`;
}
