/**
 * The transcript provider contract. A provider turns a media reference (a recording's URL, as
 * found on a Canvas item) into a normalised transcript. Providers throw `AppError`s whose
 * `transient` flag tells the job runner whether a retry can help.
 */

import { createErrorFactory } from '../shared/errors.ts';

export const PROVIDER_NAMES = ['panopto', 'zoom', 'fake'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface MediaRef {
  provider: ProviderName;
  /** The recording's URL as found on the item (Viewer/Embed link, share link, …). */
  url: string;
}

export interface TranscriptCue {
  startMs: number;
  endMs: number;
  text: string;
  speaker?: string;
}

export interface Transcript {
  cues: TranscriptCue[];
  /** Readable text with `[hh:mm:ss]` markers, as written to `transcripts/{item_id}.txt`. */
  text: string;
}

export interface TranscriptProvider {
  readonly name: ProviderName;
  fetchTranscript(ref: MediaRef, options: { signal?: AbortSignal }): Promise<Transcript>;
}

export function defineTranscriptProvider<T extends TranscriptProvider>(provider: T): T {
  return provider;
}

/**
 * Every error a provider may throw, declared once so the codes stay stable across providers.
 * `transient: true` only where a later retry can plausibly succeed (upstream outages, timeouts).
 */
export const transcriptErrors = {
  noSessionId: createErrorFactory({
    code: 'transcript.no_session_id',
    statusCode: 422,
    message: 'The link does not identify a recording (no session id in it).',
  }),
  noCaptions: createErrorFactory({
    code: 'transcript.no_captions',
    statusCode: 422,
    message: 'The recording has no captions, or its captions are not public.',
  }),
  loginRequired: createErrorFactory({
    code: 'transcript.login_required',
    statusCode: 422,
    message: 'The recording is not public: its provider asked for a login before serving captions.',
  }),
  notFound: createErrorFactory({
    code: 'transcript.not_found',
    statusCode: 404,
    message: 'The recording was not found at its provider.',
  }),
  providerUnavailable: createErrorFactory({
    code: 'transcript.provider_unavailable',
    statusCode: 502,
    message: 'The transcript provider is unavailable right now.',
    transient: true,
  }),
  requestRejected: createErrorFactory({
    code: 'transcript.request_rejected',
    statusCode: 502,
    message: 'The transcript provider rejected the request.',
  }),
  tooLarge: createErrorFactory({
    code: 'transcript.too_large',
    statusCode: 422,
    message: 'The caption file is larger than the configured limit.',
  }),
  unparseable: createErrorFactory({
    code: 'transcript.unparseable',
    statusCode: 422,
    message: 'The caption file could not be parsed as SRT or WebVTT.',
  }),
  providerUnsupported: createErrorFactory({
    code: 'transcript.provider_unsupported',
    statusCode: 422,
    message: 'Transcripts cannot be fetched from this provider yet.',
  }),
} as const;
