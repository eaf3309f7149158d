import type { z } from 'zod';
import { isAppError } from '../shared/errors.ts';
import { createSilentLogger, type Logger } from '../shared/logger.ts';
import { type AdaptiveLimitStats, createAdaptiveLimit } from './canvas.concurrency.ts';
import { createCanvasFileDownloader } from './canvas.download.ts';
import { createCanvasBadResponseError, createCanvasForbiddenError } from './canvas.errors.ts';
import { DEFAULT_MAX_PAGES, followNextLinks } from './canvas.pagination.ts';
import { badShape, parseWith } from './canvas.parse.ts';
import { type CanvasRequester, createCanvasRequester, DEFAULT_MAX_BODY_BYTES } from './canvas.request.ts';
import {
  type CanvasApi,
  type CanvasCourse,
  type CanvasModule,
  type CanvasModuleItem,
  type CanvasModuleWithItems,
  type CanvasPage,
  type CanvasPageSummary,
  canvasCourseSchema,
  canvasFileSchema,
  canvasMediaTrackSchema,
  canvasModuleItemSchema,
  canvasModuleSchema,
  canvasPageSchema,
  canvasPageSummarySchema,
  restrictedCoursePlaceholderSchema,
} from './canvas.schemas.ts';
import { createRateLimitGate } from './canvas.throttle.ts';
import { type CanvasQuery, canvasQuery, id, normaliseCanvasBaseUrl } from './canvas.url.ts';

export type CanvasClientOptions = {
  /** Canvas root, e.g. `https://school.instructure.com`; a trailing `/api/v1` is tolerated. */
  baseUrl: string;
  /** Sent only as `Authorization: Bearer …` to the base URL's origin; never logged. */
  token: string;
  fetch?: typeof fetch;
  /** Per HTTP attempt, body included. Default 20000, as `CANVAS_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Retries after the first attempt for throttling, 5xx, network errors and timeouts. Default 3. */
  maxRetries?: number;
  /**
   * The most requests in flight per client (= per token, which Canvas throttles), as
   * `CANVAS_CONCURRENCY`; default 12. It starts at 3 and follows `X-Rate-Limit-Remaining`
   * (canvas.concurrency.ts) unless `adaptConcurrency` is false.
   */
  concurrency?: number;
  adaptConcurrency?: boolean;
  logger?: Logger;
  /** First backoff step; doubles per retry. Default 1000 ms. */
  retryBaseDelayMs?: number;
  /** Longest backoff, and the longest `Retry-After` we wait out in-process. Default 30000 ms. */
  maxRetryDelayMs?: number;
  /** Longest adaptive pause when `X-Rate-Limit-Remaining` runs low. Default 10000 ms. */
  maxThrottlePauseMs?: number;
  /** Quota floor below which requests slow down (see `createRateLimitGate`). Default 200. */
  lowRemainingThreshold?: number;
  /** Largest JSON answer read; a larger one is `canvas.bad_response`. Default 64 MB. */
  maxBodyBytes?: number;
  /** Guard against runaway pagination. Default 1000 pages. */
  maxPages?: number;
  /** The composition root passes the real version; this default keeps the client self-contained. */
  userAgent?: string;
};

/** The Canvas API plus counters for benchmarks. */
export type CanvasClient = CanvasApi & { stats(): { requests: number } & AdaptiveLimitStats };

const DEFAULT_USER_AGENT = 'canvas-notes/0.1.0 (+self-hosted)';

/**
 * Builds a Canvas REST client for one token. All requests share one limiter and one throttle
 * gate, so create one client per token and reuse it.
 */
export function createCanvasClient(options: CanvasClientOptions): CanvasClient {
  const root = normaliseCanvasBaseUrl(options.baseUrl);
  const origin = new URL(root).origin;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const concurrency = createAdaptiveLimit({
    ceiling: options.concurrency ?? 12,
    adapt: options.adaptConcurrency,
  });
  const requester = createCanvasRequester({
    token: options.token,
    origin,
    fetch: options.fetch ?? globalThis.fetch,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    timeoutMs: options.timeoutMs ?? 20_000,
    maxRetries: options.maxRetries ?? 3,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 1000,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
    concurrency,
    gate: createRateLimitGate({
      ...(options.maxThrottlePauseMs !== undefined ? { maxPauseMs: options.maxThrottlePauseMs } : {}),
      ...(options.lowRemainingThreshold !== undefined
        ? { lowRemainingThreshold: options.lowRemainingThreshold }
        : {}),
    }),
    logger: (options.logger ?? createSilentLogger()).child({ module: 'canvas' }),
  });
  const downloader = createCanvasFileDownloader({
    origin,
    token: options.token,
    fetch: options.fetch ?? globalThis.fetch,
    // A file is far larger than a JSON page: a minute at least.
    timeoutMs: Math.max(options.timeoutMs ?? 20_000, 60_000),
  });
  const apiUrl = (path: string, query: CanvasQuery = {}) => {
    const search = canvasQuery(query);
    return `${root}/api/v1${path}${search ? `?${search}` : ''}`;
  };

  async function listAll<T>(
    url: string,
    signal: AbortSignal | undefined,
    parseItem: ItemParser<T>,
  ): Promise<T[]> {
    const results: T[] = [];
    const pages = followNextLinks(url, (pageUrl) => fetchPage(requester, pageUrl, signal), {
      maxPages,
      allowedOrigin: origin,
    });
    for await (const page of pages) {
      if (!Array.isArray(page.body)) throw badShape(page.endpoint, 'expected a JSON array');
      for (const [index, raw] of page.body.entries()) {
        const item = parseItem(raw, page.endpoint, index);
        if (item !== undefined) results.push(item);
      }
    }
    return results;
  }

  async function getOne<S extends z.ZodType>(url: string, schema: S, signal: AbortSignal | undefined) {
    const { body } = await requester.getJson(url, signal);
    return parseWith(schema, body, new URL(url).pathname);
  }

  const listItems = (courseId: number, moduleId: number, signal: AbortSignal | undefined) =>
    listAll<CanvasModuleItem>(
      apiUrl(`/courses/${id(courseId)}/modules/${id(moduleId)}/items`, {
        include: ['content_details'],
        per_page: 100,
      }),
      signal,
      (raw, endpoint, index) => parseWith(canvasModuleItemSchema, raw, endpoint, index),
    );

  const withAllItems = async (
    courseId: number,
    module: CanvasModule,
    signal: AbortSignal | undefined,
  ): Promise<CanvasModuleWithItems> => {
    const { items, ...rest } = module;
    if (items && (module.items_count == null || items.length >= module.items_count))
      return { ...rest, items };
    // Canvas leaves `items` out of large modules (shared reference §A5); only those cost a request.
    return { ...rest, items: await listItems(courseId, module.id, signal) };
  };

  const client: CanvasClient = {
    stats: () => ({ requests: requester.requestCount() + downloader.count(), ...concurrency.stats() }),

    listCourses: ({ signal } = {}) =>
      listAll<CanvasCourse>(
        apiUrl('/courses', { include: ['term'], per_page: 100 }),
        signal,
        (raw, endpoint, index) =>
          // Date-restricted courses come back as `{ id, access_restricted_by_date: true }` placeholders.
          restrictedCoursePlaceholderSchema.safeParse(raw).success
            ? undefined
            : parseWith(canvasCourseSchema, raw, endpoint, index),
      ),

    async getCourse(courseId, { signal } = {}) {
      const url = apiUrl(`/courses/${id(courseId)}`, { include: ['term'] });
      const { body } = await requester.getJson(url, signal);
      if (restrictedCoursePlaceholderSchema.safeParse(body).success) {
        throw createCanvasForbiddenError({
          message: `Canvas course ${courseId} is not available yet (restricted by date).`,
        });
      }
      return parseWith(canvasCourseSchema, body, new URL(url).pathname);
    },

    async listModulesWithItems(courseId, { signal } = {}) {
      const url = apiUrl(`/courses/${id(courseId)}/modules`, {
        include: ['items', 'content_details'],
        per_page: 100,
      });
      const modules = await listAll(url, signal, (raw, endpoint, index) =>
        parseWith(canvasModuleSchema, raw, endpoint, index),
      );
      return allOrAbort(signal, (inner) => modules.map((module) => withAllItems(courseId, module, inner)));
    },

    async getModuleWithItems(courseId, moduleId, { signal } = {}) {
      const url = apiUrl(`/courses/${id(courseId)}/modules/${id(moduleId)}`, {
        include: ['items', 'content_details'],
      });
      return withAllItems(courseId, await getOne(url, canvasModuleSchema, signal), signal);
    },

    getPage: (courseId, pageUrl, { signal } = {}): Promise<CanvasPage> =>
      getOne(
        apiUrl(`/courses/${id(courseId)}/pages/${encodeURIComponent(pageUrl)}`),
        canvasPageSchema,
        signal,
      ),

    async listPages(courseId, { signal } = {}): Promise<CanvasPageSummary[] | null> {
      try {
        return await listAll(
          apiUrl(`/courses/${id(courseId)}/pages`, { per_page: 100 }),
          signal,
          (raw, endpoint, index) => parseWith(canvasPageSummarySchema, raw, endpoint, index),
        );
      } catch (error) {
        // The Pages tab hidden from students answers 404 "disabled", or 401/403 unauthorized.
        if (isAppError(error) && (error.code === 'canvas.not_found' || error.code === 'canvas.forbidden')) {
          return null;
        }
        throw error;
      }
    },

    getFile: (courseId, fileId, { signal } = {}) =>
      getOne(apiUrl(`/courses/${id(courseId)}/files/${id(fileId)}`), canvasFileSchema, signal),

    listMediaTracks: (target, { signal } = {}) => {
      const path =
        'attachmentId' in target
          ? `/media_attachments/${encodeURIComponent(target.attachmentId)}/media_tracks`
          : `/media_objects/${encodeURIComponent(target.mediaId)}/media_tracks`;
      return listAll(
        apiUrl(path, { include: ['webvtt_content'], per_page: 100 }),
        signal,
        (raw, endpoint, index) => parseWith(canvasMediaTrackSchema, raw, endpoint, index),
      );
    },

    async downloadFile(courseId, fileId, { signal, maxBytes } = {}) {
      const file = await client.getFile(courseId, fileId, { signal });
      const url = file.url ? new URL(file.url, root) : null;
      if (!url || url.origin !== origin) {
        throw createCanvasBadResponseError({
          message: `Canvas gave file ${fileId} no download URL on its own host.`,
        });
      }
      const { bytes, contentType } = await downloader.download(fileId, url, { signal, maxBytes });
      return { bytes, contentType: contentType ?? file['content-type'] ?? null };
    },
  };
  return client;
}

type ItemParser<T> = (raw: unknown, endpoint: string, index: number) => T | undefined;

async function fetchPage(requester: CanvasRequester, url: string, signal: AbortSignal | undefined) {
  const { body, nextUrl } = await requester.getJson(url, signal);
  return { data: { body, endpoint: new URL(url).pathname }, nextUrl };
}

/**
 * `Promise.all` that aborts the siblings when one fails, so a failed module does not leave the
 * others spending the token's quota on results nobody reads.
 */
async function allOrAbort<T>(
  signal: AbortSignal | undefined,
  start: (signal: AbortSignal) => Promise<T>[],
): Promise<T[]> {
  const controller = new AbortController();
  const inner = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  try {
    return await Promise.all(start(inner));
  } catch (error) {
    controller.abort();
    throw error;
  }
}
