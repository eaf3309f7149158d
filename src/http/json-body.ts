import type { FastifyInstance } from 'fastify';

/**
 * Fastify answers `Content-Type: application/json` with an empty body as a 400
 * (FST_ERR_CTP_EMPTY_JSON_BODY). Many clients send that header on every request, body or not,
 * and no route here takes a JSON body, so an empty one is taken as no body. Anything else goes
 * to Fastify's own parser, with its prototype-poisoning protection and its 400 for malformed
 * JSON. Plugins that replace the parsers (the transcript upload) are unaffected.
 */
export function acceptEmptyJsonBody(app: FastifyInstance): void {
  const { onProtoPoisoning, onConstructorPoisoning } = app.initialConfig;
  const parse = app.getDefaultJsonParser(onProtoPoisoning ?? 'error', onConstructorPoisoning ?? 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body.length === 0) {
      done(null, undefined);
      return;
    }
    // Fastify's parser answers through `done`; its type also allows a promise, which it never returns.
    void parse(request, typeof body === 'string' ? body : body.toString('utf8'), done);
  });
}
