import { createErrorFactory } from '../shared/errors.ts';

/** Errors of stored notes; the summarizers' own errors live in `summarizer.ts` and `openai.errors.ts`. */
export const summaryErrors = {
  notReady: createErrorFactory({
    code: 'summary.not_ready',
    statusCode: 404,
    message: 'This item has no notes yet; POST /items/{id}/summarize writes them.',
  }),
  fileMissing: createErrorFactory({
    code: 'summary.file_missing',
    statusCode: 409,
    message: 'The notes file is missing from the data folder; summarize the item again.',
  }),
} as const;
