/**
 * Why a reading (a Canvas Page without a recording, or a PDF, text, Markdown or HTML file) gave
 * no text. None is transient: the same bytes give the same answer until the teacher changes
 * them, and a change shows up as a new sync.
 */

import { createErrorFactory } from '../../shared/errors.ts';

export const readingErrors = {
  noText: createErrorFactory({
    code: 'reading.no_text',
    statusCode: 422,
    message:
      'This reading holds no text to summarise; paste its text into a file and upload it with PUT /items/{id}/transcript.',
  }),
  unreadable: createErrorFactory({
    code: 'reading.unreadable',
    statusCode: 422,
    message:
      'This PDF could not be read (it is damaged or protected by a password); upload its text with PUT /items/{id}/transcript.',
  }),
  unsupportedType: createErrorFactory({
    code: 'reading.unsupported_type',
    statusCode: 422,
    message:
      'canvas-notes reads PDF, text, Markdown and HTML files only; upload this file’s text with PUT /items/{id}/transcript.',
  }),
} as const;
