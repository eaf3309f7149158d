/**
 * Reading back `transcripts/{item_id}.json`, the cues document `transcript.render.ts` writes:
 * the one place that knows its shape on the way in, for the summarizers and the API's segments.
 */

import { z } from 'zod';
import { CUES_FORMAT_VERSION } from './transcript.render.ts';

// Only the fields readers use; the writer's type is in transcript.render.ts.
const cuesDocumentSchema = z.object({
  version: z.literal(CUES_FORMAT_VERSION),
  sources: z.array(
    z.object({
      provider: z.string(),
      ref: z.string(),
      title: z.string().nullable(),
      url: z.string().nullable(),
      timed: z.boolean(),
      chapters: z.array(z.object({ start_ms: z.number(), title: z.string() })),
      cues: z.array(z.object({ start_ms: z.number().nullable(), end_ms: z.number().nullable() })),
      paragraphs: z.array(z.object({ start_ms: z.number().nullable(), text: z.string() })),
    }),
  ),
});

export type CuesDocument = z.infer<typeof cuesDocumentSchema>;

/** The document, or `null` when the text is not one we wrote (hand-edited, another version). */
export function readCuesDocument(json: string): CuesDocument | null {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = cuesDocumentSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
