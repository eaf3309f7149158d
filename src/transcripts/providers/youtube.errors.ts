/**
 * YouTube's own errors. Only "no captions" belongs to YouTube; throttling, bot checks and bad
 * answers use the shared `transcriptErrors`.
 */

import { createErrorFactory } from '../../shared/errors.ts';

export const youtubeErrors = {
  /**
   * Permanent: the video has no track, its owner turned captions off, it is removed, private or
   * age-restricted, or YouTube serves its tracks empty (a proof-of-origin token is required, §I).
   * A retry gets the same answer; an upload is the way on.
   */
  noCaptions: createErrorFactory({
    code: 'youtube.no_captions',
    statusCode: 422,
    message:
      'This YouTube video has no captions YouTube will give out; download or write a caption file and ' +
      'upload it with PUT /items/{id}/transcript.',
  }),
} as const;
