import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { compileTrustProxy } from './config/trusted-proxies.ts';
import { createChangeStamp } from './db/change-stamp.ts';
import type { Deps } from './deps.ts';
import { installActionLimit } from './http/action-limit.ts';
import { installAuth, openApiSecurity } from './http/auth.ts';
import { answerFrameworkError, createClientErrorHandler, installErrorHandler } from './http/error-handler.ts';
import { createHealthService } from './http/health.service.ts';
import { acceptEmptyJsonBody } from './http/json-body.ts';
import { installReadCache } from './http/read-cache.ts';
import { RequestLog } from './http/request-log.ts';
import { createRequestOriginGuard } from './http/request-origin.ts';
import { createResponseSerializerCompiler } from './http/response-serializer.ts';
import { artifactsRoutes } from './http/routes/artifacts.routes.ts';
import { bulkJobsRoutes } from './http/routes/bulk-jobs.routes.ts';
import { coursesRoutes } from './http/routes/courses.routes.ts';
import { eventsRoutes } from './http/routes/events.routes.ts';
import { exportRoutes } from './http/routes/export.routes.ts';
import { healthRoutes } from './http/routes/health.routes.ts';
import { itemContentRoutes } from './http/routes/item-content.routes.ts';
import { itemsRoutes } from './http/routes/items.routes.ts';
import { jobsRoutes } from './http/routes/jobs.routes.ts';
import { modulesRoutes } from './http/routes/modules.routes.ts';
import { searchRoutes } from './http/routes/search.routes.ts';
import { webRoutes } from './http/routes/web.routes.ts';
import { DOCS_CSP, installSecurityHeaders } from './http/security-headers.ts';
import { VERSION } from './version.ts';

/**
 * Node keeps a socket open for as long as a client dribbles its request by default. Bound the
 * time to receive a whole request (Node answers 408 through `clientErrorHandler`) and check for
 * it often enough to matter; close idle keep-alive sockets after Node's usual 5 s; and, as a
 * backstop, drop a socket with no traffic at all for 10 minutes, longer than any refresh of a
 * large course takes to answer.
 */
function serverTimeouts(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: 5_000,
    connectionTimeout: 10 * 60_000,
    http: {
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeoutMs / 4)),
    },
  };
}

/**
 * Builds the HTTP app from its dependencies. It never listens: `main.ts` does, and tests use
 * `app.inject()`.
 */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const { requestTimeoutMs } = deps.config.http;
  const trustProxy = compileTrustProxy(deps.config.http.trustProxy);
  const app = Fastify({
    ...serverTimeouts(requestTimeoutMs),
    // request.ip (the action limit's client), .protocol and .host then follow X-Forwarded-*
    // from those proxies only.
    ...(trustProxy ? { trustProxy } : {}),
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app's type the default one.
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Canvas ids can be large; a long URL is never legitimate here.
    routerOptions: { maxParamLength: 200 },
    bodyLimit: 64 * 1024,
    // What the router and Node's HTTP parser refuse never reaches the error handler.
    frameworkErrors: answerFrameworkError,
    // One line per request instead of two (request-log.ts).
    logController: new RequestLog(),
    clientErrorHandler: createClientErrorHandler(deps.logger),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    createResponseSerializerCompiler({ checkResponses: deps.config.http.checkResponses }),
  );
  installErrorHandler(app);
  acceptEmptyJsonBody(app);
  // Before every other hook, so the answers they refuse carry the headers too.
  installSecurityHeaders(app);
  // Before CORS and every route, so a refused request reaches neither.
  app.addHook('onRequest', createRequestOriginGuard({ ...deps.config.http, trustProxy }));
  const auth = installAuth(app, deps.config.auth);

  if (deps.config.http.corsOrigins.length) {
    await app.register(cors, {
      origin: deps.config.http.corsOrigins,
      // Spelt out: @fastify/cors has changed its default between majors, and the API uses these.
      methods: ['GET', 'HEAD', 'POST', 'PUT'],
      // A bare OPTIONS (no preflight headers) then gets an empty 204, not the plugin's
      // plain-text 400 outside our error shape.
      strictPreflight: false,
      // Cache a preflight for 2 hours rather than asking before every POST: Chromium caps the
      // cache at 7200 s (Firefox allows 86400), so a longer value would gain nothing there.
      maxAge: 7_200,
    });
  }
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'canvas-notes',
        version: VERSION,
        description: 'Sync a Canvas course, fetch lecture transcripts and write Markdown notes.',
      },
      ...openApiSecurity(deps.config.auth.apiKey),
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
  // Before the routes, which it attaches to as they are registered.
  await installActionLimit(app, deps.config.rateLimit);
  installReadCache(app, {
    stamp: createChangeStamp(deps.db.$client),
    maxBytes: deps.config.http.readCacheBytes,
  });

  const { services, files } = deps;
  const health = createHealthService({
    db: deps.db,
    demo: deps.config.demo,
    workerInProcess: deps.config.jobs.runInProcess,
    summarizer: deps.summarizer.name,
    version: VERSION,
  });
  await app.register(healthRoutes, { health, showDetails: auth.isAuthorized });
  await app.register(coursesRoutes, { sync: services.sync, courses: services.courses });
  await app.register(modulesRoutes, {
    courses: services.courses,
    items: services.items,
    sync: services.sync,
    files,
  });
  await app.register(itemsRoutes, { items: services.items, files });
  await app.register(itemContentRoutes, {
    content: services.itemContent,
    items: services.items,
    files,
  });
  await app.register(artifactsRoutes, { content: services.itemContent, files });
  await app.register(jobsRoutes, { jobs: services.jobs });
  await app.register(bulkJobsRoutes, { jobs: services.jobs });
  await app.register(exportRoutes, { exports: services.exports });
  await app.register(searchRoutes, { search: services.search });
  await app.register(eventsRoutes, { hub: deps.events, files });
  await app.register(webRoutes);
  return app;
}
