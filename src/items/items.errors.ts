import { createErrorFactory } from '../shared/errors.ts';

/** Errors of items and the artifacts they hold. */
export const itemErrors = {
  notFound: createErrorFactory({
    code: 'item.not_found',
    statusCode: 404,
    message: 'No such item. Refresh its course to sync it from Canvas.',
  }),
  jobRunning: createErrorFactory({
    code: 'item.job_running',
    statusCode: 409,
    message: 'A job is running for this item; wait for it to finish or cancel it, then reset.',
  }),
  artifactNotFound: createErrorFactory({
    code: 'artifact.not_found',
    statusCode: 404,
    message: 'No such artifact.',
  }),
} as const;
