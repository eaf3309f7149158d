/**
 * The errors every provider and the transcript service share. Errors that belong to one host
 * (`panopto.login_required`, `youtube.no_captions`, …) live in that provider's `*.errors.ts`.
 * `transient: true` only where a later retry can plausibly succeed (outages, timeouts).
 */

import { createErrorFactory } from '../shared/errors.ts';

export const transcriptErrors = {
  noSource: createErrorFactory({
    code: 'transcript.no_source',
    statusCode: 422,
    message: 'This item holds no recording or reading that canvas-notes knows how to fetch.',
  }),
  /** Transient: the job's next attempt fetches from the new sources. */
  sourceChanged: createErrorFactory({
    code: 'transcript.source_changed',
    statusCode: 409,
    message:
      "The item's recordings changed while its transcript was being fetched; it will be fetched again.",
    transient: true,
  }),
  fileMissing: createErrorFactory({
    code: 'transcript.file_missing',
    statusCode: 409,
    message: 'The transcript file is missing from the data folder; fetch the transcript again.',
  }),
  notReady: createErrorFactory({
    code: 'transcript.not_ready',
    statusCode: 404,
    message: 'This item has no transcript yet; POST /items/{id}/fetch-transcript fetches it.',
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
  /** A redirect (or a link) pointed at a host the provider may not talk to. */
  hostRefused: createErrorFactory({
    code: 'transcript.host_refused',
    statusCode: 502,
    message: 'The provider sent canvas-notes to a host it does not talk to.',
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
  noSpeech: createErrorFactory({
    code: 'transcript.no_speech',
    statusCode: 422,
    message: 'The captions contain only sound marks, no speech.',
  }),
  uploadEmpty: createErrorFactory({
    code: 'transcript.upload_empty',
    statusCode: 400,
    message: 'The uploaded transcript is empty.',
  }),
  uploadUnsupportedType: createErrorFactory({
    code: 'transcript.upload_unsupported_type',
    statusCode: 415,
    message:
      'Upload the transcript itself: WebVTT (text/vtt), SRT (application/x-subrip) or plain text (text/plain).',
  }),
  uploadUnparseable: createErrorFactory({
    code: 'transcript.upload_unparseable',
    statusCode: 400,
    message: 'The uploaded file looks like captions, but no caption with text could be read from it.',
  }),
} as const;
