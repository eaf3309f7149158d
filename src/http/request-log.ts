import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from '../shared/logger.ts';

/**
 * One log line per request, written when the answer is sent: method, URL, host, client address,
 * status and time. Fastify's default writes two (`incoming request`, then `request completed`),
 * each a synchronous write through redaction, and that was a fifth of what a cached read cost.
 * The arrival line stays at debug level, for following a request that hangs; the server's
 * timeouts (app.ts) end those. Fastify's other lines (errors, 404s, streams) are unchanged.
 *
 * The line of an answered request holds only what Fastify's request and reply serializers pick
 * (no headers, no body) and the request id, none of which the redaction paths name (the URLs
 * of this API carry no credentials), so it is written by a logger without redaction: walking
 * the wildcard paths on every request cost more than writing the line. A failed request's line
 * carries the error, which may hold anything, and keeps the request's own redacting logger.
 */
export class RequestLog extends LogController {
  /** Per app logger, the same logger without redaction. */
  readonly #plain = new WeakMap<Logger, Logger>();

  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) {
      reply.log.error(
        { req: request, res: reply, responseTime: reply.elapsedTime, err: error },
        'request errored',
      );
      return;
    }
    // The request's own logger decides the level, as for any line of its.
    if (!(reply.log as Logger).isLevelEnabled('info')) return;
    this.#plainLogger(request.server.log as Logger).info(
      { [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime },
      'request completed',
    );
  }

  #plainLogger(logger: Logger): Logger {
    let plain = this.#plain.get(logger);
    if (plain === undefined) {
      plain = logger.child({}, { redact: [] });
      this.#plain.set(logger, plain);
    }
    return plain;
  }
}
