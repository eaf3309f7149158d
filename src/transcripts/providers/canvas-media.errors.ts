/**
 * Canvas media's own errors. Canvas failures (token, permissions, outages) stay the client's
 * `canvas.*` errors, whose `transient` flags already say whether a retry helps.
 */

import { createErrorFactory } from '../../shared/errors.ts';

export const canvasMediaErrors = {
  /**
   * Permanent: a caption track appears only when someone adds one in Canvas, and a later sync
   * will look again; until then the student's way out is an upload.
   */
  noCaptions: createErrorFactory({
    code: 'canvas_media.no_captions',
    statusCode: 422,
    message:
      'This video has no captions in Canvas yet; upload a caption or transcript file for it with ' +
      'PUT /items/{id}/transcript.',
  }),
  /** A stored ref naming neither an attachment nor a media id; detect never makes one. */
  invalidRef: createErrorFactory({
    code: 'canvas_media.invalid_ref',
    statusCode: 422,
    message: 'This Canvas media reference names no attachment or media id; sync the course again.',
  }),
} as const;
