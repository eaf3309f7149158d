import { type CanvasClientOptions, createCanvasClient } from './canvas/canvas.client.ts';
import type { CanvasApi } from './canvas/canvas.schemas.ts';
import type { Config } from './config/config.ts';
import { createCoursesService } from './courses/courses.service.ts';
import { type Db, migrate, openDb } from './db/client.ts';
import { createArtifactsRepository } from './db/repositories/artifacts.repository.ts';
import { createCoursesRepository } from './db/repositories/courses.repository.ts';
import { createItemsRepository } from './db/repositories/items.repository.ts';
import { createMediaSourcesRepository } from './db/repositories/media-sources.repository.ts';
import { createModulesRepository } from './db/repositories/modules.repository.ts';
import { createSearchRepository } from './db/repositories/search.repository.ts';
import { createDemoCanvas } from './demo/demo-canvas.ts';
import { DEMO_RECORDINGS } from './demo/demo-transcripts.ts';
import { createChangeFeedRepository } from './events/change-feed.repository.ts';
import { createEventHub, type EventHubOptions } from './events/event-hub.ts';
import { createEventsService } from './events/events.service.ts';
import { createExportService } from './export/export.service.ts';
import { createItemContentService } from './items/item-content.service.ts';
import { createItemsService } from './items/items.service.ts';
import { createJobsRepository } from './jobs/jobs.repository.ts';
import { createJobsService } from './jobs/jobs.service.ts';
import { createOrphanFileSweeper } from './jobs/orphan-files.ts';
import { markItemFailed, registerJobs } from './jobs/register-jobs.ts';
import { createJobRunner, type JobRunner } from './jobs/runner.ts';
import { createSearchBackfill } from './search/search.backfill.ts';
import { createSearchService } from './search/search.service.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { createFsFileStore, type FileStore } from './storage/file-store.ts';
import { createSummariesService } from './summarize/summaries.service.ts';
import { createSummarizer } from './summarize/summarizer.factory.ts';
import type { Summarizer } from './summarize/summarizer.ts';
import { createContentDiscovery } from './sync/content-discovery.ts';
import { adoptLegacySources } from './sync/legacy-sources.ts';
import { createSyncService } from './sync/sync.service.ts';
import { createFakeFetch } from './transcripts/providers/fake.provider.ts';
import { createTranscriptProviders, type TranscriptProviderDeps } from './transcripts/providers.registry.ts';
import { createTranscriptsService } from './transcripts/transcripts.service.ts';
import { VERSION } from './version.ts';

export interface DepsOverrides {
  db?: Db;
  logger?: Logger;
  canvas?: CanvasApi;
  files?: FileStore;
  summarizer?: Summarizer;
  /** Replace providers' fetches (detection stays real); see `createTranscriptProviders`. */
  providerFetches?: TranscriptProviderDeps['fetchOverrides'];
  fetch?: typeof fetch;
  now?: () => Date;
  /** Canvas client tuning (retry delays, throttle pauses); tests shorten them. */
  canvasClient?: Partial<CanvasClientOptions>;
  /** Job runner timings; tests shorten them. */
  runner?: Partial<{ pollIntervalMs: number; heartbeatMs: number; leaseMs: number; retryBaseMs: number }>;
  /** `GET /events` timings; tests shorten them. */
  events?: Partial<EventHubOptions>;
}

export type Deps = ReturnType<typeof createDeps>;

/**
 * The single composition root: everything external (Canvas, transcript hosts, the LLM, the
 * disk) is built here from config, and any of it can be replaced by a test.
 */
export function createDeps(config: Config, overrides: DepsOverrides = {}) {
  const logger = overrides.logger ?? createLogger({ level: config.log.level });
  const db = overrides.db ?? openDb(config.storage.dbPath, { busyTimeoutMs: config.storage.busyTimeoutMs });
  if (!overrides.db) migrate(db);
  const now = overrides.now;
  const files = overrides.files ?? createFsFileStore({ root: config.storage.dataDir });

  const canvas =
    overrides.canvas ??
    (config.demo || !config.canvas.token || !config.canvas.baseUrl
      ? createDemoCanvas()
      : createCanvasClient({
          baseUrl: config.canvas.baseUrl,
          token: config.canvas.token,
          timeoutMs: config.canvas.timeoutMs,
          concurrency: config.canvas.concurrency,
          fetch: overrides.fetch,
          logger: logger.child({ module: 'canvas' }),
          userAgent: `canvas-notes/${VERSION} (self-hosted)`,
          ...overrides.canvasClient,
        }));

  const providers = createTranscriptProviders({
    canvas,
    fetch: overrides.fetch,
    languages: config.captions.languages,
    panopto: config.panopto,
    zoom: config.zoom,
    // The demo account's recordings are answered from built-in captions; nothing leaves the process.
    fetchOverrides:
      overrides.providerFetches ?? (config.demo ? { panopto: createFakeFetch(DEMO_RECORDINGS) } : undefined),
  });
  const summarizer =
    overrides.summarizer ?? createSummarizer(config.llm, config.notes, { fetch: overrides.fetch });

  const repositories = {
    courses: createCoursesRepository({ db }),
    modules: createModulesRepository({ db }),
    items: createItemsRepository({ db }),
    mediaSources: createMediaSourcesRepository({ db }),
    artifacts: createArtifactsRepository({ db }),
    jobs: createJobsRepository({ db }),
    search: createSearchRepository({ db }),
  };
  const transcripts = createTranscriptsService({ db, ...repositories, files, providers, logger, now });
  const summaries = createSummariesService({
    db,
    ...repositories,
    files,
    summarizer,
    transcripts,
    timeLinks: providers.linkerFor,
    logger,
    now,
  });

  const adopted = adoptLegacySources({ db, mediaSources: repositories.mediaSources, providers, now });
  if (adopted > 0)
    logger.info({ module: 'sync', items: adopted }, 'recordings of items from an older data folder adopted');
  const discovery = createContentDiscovery({
    canvas,
    providers,
    logger,
    canvasBaseUrl: config.demo ? undefined : config.canvas.baseUrl,
  });
  const sweepOrphanFiles = createOrphanFileSweeper({ files, jobs: repositories.jobs, now });
  const backfillSearch = createSearchBackfill({ db, ...repositories, files, logger });
  const timings = overrides.runner ?? {};
  const runner: JobRunner = createJobRunner({
    repository: repositories.jobs,
    handlers: registerJobs({ ...repositories, transcripts, summaries, now }),
    logger,
    concurrency: config.jobs.concurrency,
    jobTimeoutMs: config.jobs.timeoutMs,
    leaseMs: timings.leaseMs ?? config.jobs.leaseMs,
    // Several beats per lease, so a beat or two lost to a busy database does not lose the job.
    heartbeatMs: timings.heartbeatMs ?? Math.floor((timings.leaseMs ?? config.jobs.leaseMs) / 6),
    pollIntervalMs: timings.pollIntervalMs ?? 1_000,
    retry: { baseMs: timings.retryBaseMs ?? 2_000, maxMs: 5 * 60_000 },
    now,
    onFinalFailure: markItemFailed({ ...repositories, now }),
    onReclaimed: (job) =>
      job.itemId === null ? Promise.resolve() : sweepOrphanFiles({ itemId: job.itemId, exceptJobId: job.id }),
  });

  const services = {
    courses: createCoursesService(repositories),
    sync: createSyncService({
      db,
      canvas,
      ...repositories,
      discovery,
      files,
      logger,
      now,
      onCancelRequested: (jobId) => runner.notifyCancelRequested(jobId),
    }),
    transcripts,
    summaries,
    search: createSearchService({ ...repositories, timeLinks: providers.linkerFor }),
    itemContent: createItemContentService({ ...repositories, files, timeLinks: providers.linkerFor }),
    exports: createExportService({ ...repositories, files, logger }),
    items: createItemsService({
      db,
      ...repositories,
      transcripts,
      files,
      logger,
      maxAttempts: config.jobs.maxAttempts,
      onEnqueued: () => runner.wake(),
      now,
    }),
    jobs: createJobsService({
      db,
      ...repositories,
      maxAttempts: config.jobs.maxAttempts,
      summaryIsCurrent: summaries.isCurrent,
      onEnqueued: () => runner.wake(),
      onCancelRequested: (jobId) => runner.notifyCancelRequested(jobId),
      now,
    }),
  };

  // Reads the change feed only while a stream is open; `GET /events` closes it with the app.
  const events = createEventHub({
    events: createEventsService({
      feed: createChangeFeedRepository({ db }),
      items: services.items,
      jobs: repositories.jobs,
    }),
    logger,
    pollIntervalMs: 200,
    // Well inside proxies' usual 60 s read timeout and the server's 10-minute idle-socket limit.
    pingIntervalMs: 15_000,
    ...overrides.events,
  });

  return {
    config,
    logger,
    db,
    files,
    canvas,
    providers,
    summarizer,
    repositories,
    services,
    runner,
    events,
    sweepOrphanFiles,
    /** Indexes transcripts and notes of an older data folder; run at start-up (main.ts, worker.ts). */
    backfillSearch,
  };
}
