import { createErrorFactory } from '../shared/errors.ts';

/** Errors of `GET /search`. */
export const searchErrors = {
  /** The message always says what is wrong with the query and how to write it instead. */
  badQuery: createErrorFactory({
    code: 'search.bad_query',
    statusCode: 400,
    message:
      'The search could not be read. Write plain words, "quoted phrases", a trailing * for a prefix (grad*), or OR between two terms.',
  }),
} as const;
