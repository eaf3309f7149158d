import type { z } from 'zod';
import { createCanvasBadResponseError } from './canvas.errors.ts';

/** A Canvas payload checked against its schema, or canvas.bad_response naming where it broke. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  endpoint: string,
  index?: number,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = [index === undefined ? undefined : `element ${index}`, issue?.path.join('.') || undefined]
    .filter(Boolean)
    .join(', ');
  throw badShape(endpoint, `${where ? `${where}: ` : ''}${issue?.message ?? 'invalid'}`, result.error);
}

export function badShape(endpoint: string, detail: string, cause?: unknown) {
  return createCanvasBadResponseError({
    message: `Canvas sent an unexpected payload for ${endpoint} (${detail}).`,
    cause,
  });
}
