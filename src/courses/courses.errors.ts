import { createErrorFactory } from '../shared/errors.ts';

export const courseErrors = {
  courseNotFound: createErrorFactory({
    code: 'course.not_found',
    statusCode: 404,
    message: 'No such course in the cache. Refresh your courses first.',
  }),
  moduleNotFound: createErrorFactory({
    code: 'module.not_found',
    statusCode: 404,
    message: 'No such module in the cache. Refresh its course first.',
  }),
} as const;
