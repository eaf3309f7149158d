/** What Zoom's two routes (the REST API and the web player) share. */

import type { z } from 'zod';
import { detectCaptionFormat, parseCaptions } from '../captions.parser.ts';
import { hostIn, type ProviderResponse, parseJsonBody } from '../provider-http.ts';
import type { FetchedTranscript } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { ZOOM_HOST_PATTERNS } from './zoom.links.ts';

export const ZOOM_LABEL = 'Zoom';

export const isZoomHost = hostIn(ZOOM_HOST_PATTERNS);

export function parseZoomJson<T>(response: ProviderResponse, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(parseJsonBody(response, ZOOM_LABEL));
  if (parsed.success) return parsed.data;
  throw transcriptErrors.requestRejected({
    message: 'Zoom answered in a shape canvas-notes does not know.',
    cause: parsed.error,
  });
}

/**
 * Waits for work shared between fetches (the access token, a listing of recordings), which runs
 * without any one caller's signal; each caller still stops at its own abort.
 */
export function raceAbort<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Zoom's TRANSCRIPT and CC files are WebVTT (reference §C). */
export function captionsToTranscript(text: string): FetchedTranscript {
  if (detectCaptionFormat(text) === null) {
    throw transcriptErrors.unparseable({ message: 'Zoom sent a transcript file that is not WebVTT.' });
  }
  const cues = parseCaptions(text);
  if (cues.length === 0) throw transcriptErrors.noSpeech({ message: 'The Zoom transcript holds no speech.' });
  return { cues, timed: true };
}
