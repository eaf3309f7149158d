import { createErrorFactory } from '../shared/errors.ts';

export const missingKey = createErrorFactory({
  code: 'auth.missing_key',
  statusCode: 401,
  message: 'This server requires its API key: send `Authorization: Bearer <API_KEY>`.',
});

export const invalidKey = createErrorFactory({
  code: 'auth.invalid_key',
  statusCode: 401,
  message: 'The API key is not the one this server was given; send `Authorization: Bearer <API_KEY>`.',
});
