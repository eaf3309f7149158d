import { createErrorFactory } from '../shared/errors.ts';

export const rateLimitExceeded = createErrorFactory({
  code: 'rate_limit.exceeded',
  statusCode: 429,
  message: 'Too many actions from this client; try again later.',
});
