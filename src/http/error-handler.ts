import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { asDatabaseBusy } from '../db/db.errors.ts';
import { isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

/** The one error shape of the API: `{"error":{"code":"area.reason","message":"..."}}`. */
export interface ErrorBody {
  error: { code: string; message: string };
}

const body = (code: string, message: string): ErrorBody => ({ error: { code, message } });

/** `FST_ERR_BAD_URL` → `request.bad_url`: Fastify's own request errors, under our `request.*` area. */
const requestCode = (fastifyCode: string | undefined) =>
  `request.${(fastifyCode ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase()}`;

const INTERNAL = body('internal.error', 'An unexpected internal error occurred.');

/**
 * Our own words for the errors the router raises before any route (or error handler) runs:
 * Fastify's say only that the path "is not a valid url component", echoing it whole.
 */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is malformed: it holds a "%" that does not start a valid percent-escape.',
};

/**
 * Fastify's `frameworkErrors` option: the router answers a malformed percent-escape (400) and an
 * over-long path parameter (414) itself, bypassing the error handler, so the one shape is applied
 * here too. The only path parameters are ids, so an over-long one is a malformed id: a 400 like
 * any other id too large to be one. Anything else (an async constraint failing) is internal.
 */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    reply.code(400).send(body('request.invalid_params', 'Invalid params: id: is too large'));
    return;
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    request.log.info({ code: error.code, url: request.url.slice(0, 200) }, 'request refused by the router');
    reply.code(status).send(body(requestCode(error.code), FRAMEWORK_MESSAGES[error.code] ?? error.message));
    return;
  }
  request.log.error({ err: error }, 'unhandled router error');
  reply.code(500).send(INTERNAL);
}

/**
 * Fastify's `clientErrorHandler` option: what Node's HTTP parser refuses (a malformed request,
 * headers too large, a request too slow to arrive) never becomes a request, so the answer is
 * written to the socket directly, still in the one shape.
 */
export function createClientErrorHandler(logger: Logger) {
  const answers: Record<string, { status: number; code: string; message: string }> = {
    ERR_HTTP_REQUEST_TIMEOUT: {
      status: 408,
      code: 'request.timeout',
      message: 'The request took too long to arrive.',
    },
    HPE_HEADER_OVERFLOW: {
      status: 431,
      code: 'request.headers_too_large',
      message: 'The request headers are too large.',
    },
  };
  const malformed = { status: 400, code: 'request.malformed', message: 'The HTTP request is malformed.' };
  return (error: ConnectionError, socket: Socket): void => {
    // A reset connection has nobody left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answer = (error.code && answers[error.code]) || malformed;
    logger.debug({ err: error, code: answer.code }, 'client error');
    if (socket.writable) {
      const payload = JSON.stringify(body(answer.code, answer.message));
      socket.write(
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nConnection: close\r\n` +
          `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
      );
    }
    socket.destroy(error);
  };
}

/**
 * Maps every error to the one shape. `AppError`s carry their own code and status; Fastify's
 * own 4xx errors (bad JSON, too large, wrong content type) keep their status under a
 * `request.*` code; a database locked by another process past the busy timeout is a 503
 * `db.busy` with Retry-After; anything else is internal and answered with a generic 500, never
 * its message.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError, request, reply) => {
    const error = asDatabaseBusy(thrown) as FastifyError;
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
      return reply.code(status).send(body(requestCode(error.code), error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(INTERNAL);
  });

  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(body('route.not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}
