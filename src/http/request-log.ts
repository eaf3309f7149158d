import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from '../shared/logger.ts';

/** A read answered in at least this long is logged at info: a slow read is worth seeing. */
export const SLOW_READ_MS = 1_000;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The level of an answered request's line. Reads that succeed (a 304 included) are the bulk of
 * the traffic, much of it the page polling, and say nothing an operator acts on: debug. Actions
 * (they change state and queue work), every 4xx and 5xx, and slow reads: info. Writing the line
 * of each read was, measured, about 30% of what a cached read cost.
 */
export function requestLineLevel(
  method: string,
  statusCode: number,
  responseTimeMs: number,
): 'debug' | 'info' {
  return READS.has(method) && statusCode < 400 && responseTimeMs < SLOW_READ_MS ? 'debug' : 'info';
}

/**
 * One log line per request, written when the answer is sent: method, URL, host, client address,
 * status and time, at the level `requestLineLevel` gives it. Fastify's default writes two
 * (`incoming request`, then `request completed`), each a synchronous write through redaction.
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
    const responseTime = reply.elapsedTime;
    const level = requestLineLevel(request.method, reply.statusCode, responseTime);
    // The request's own logger decides whether the level is written, as for any line of its.
    if (!(reply.log as Logger).isLevelEnabled(level)) return;
    this.#plainLogger(request.server.log as Logger)[level](
      { [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime },
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
