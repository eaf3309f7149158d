import { createErrorFactory } from '../shared/errors.ts';

export const webNotBuilt = createErrorFactory({
  code: 'web.not_built',
  statusCode: 503,
  message: 'The web page is not built: run `npm run build:web` (npm start does it), then reload.',
});
