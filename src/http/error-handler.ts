import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isAppError } from '../shared/errors.ts';

/** The one error shape of the API: `{"error":{"code":"area.reason","message":"..."}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

const body = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/**
 * Maps every error to the one shape. `AppError`s carry their own code and status; Fastify's
 * own 4xx errors (bad JSON, too large, wrong content type) keep their status under a
 * `request.*` code; anything else is internal and answered with a generic 500, never its message.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const details = error.validation
        .map((issue) => {
          const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
          return path ? `${path}: ${issue.message}` : issue.message;
        })
        .join('; ');
      return reply.code(400).send(body(`request.invalid_${where}`, `Invalid ${where}: ${details}`));
    }
    if (isAppError(error)) {
      const level = error.statusCode >= 500 ? 'warn' : 'info';
      request.log[level]({ code: error.code, err: error }, 'request failed');
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      return reply.code(error.statusCode).send(body(error.code, error.message));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const reason = (error.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
      return reply.code(status).send(body(`request.${reason}`, error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(body('internal.error', 'An unexpected internal error occurred.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('route.not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}
