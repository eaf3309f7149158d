import { performance } from 'node:perf_hooks';
import { type CanvasClientOptions, createCanvasClient } from '../src/canvas/canvas.client.ts';
import {
  buildRealisticAccount,
  REALISTIC_ITEMS_PER_MODULE,
  REALISTIC_READS_PER_MODULE,
} from '../test/fakes/fake-canvas.account.ts';
import type { LeakyBucketOptions } from '../test/fakes/fake-canvas.bucket.ts';
import type { FakeCanvasState } from '../test/fakes/fake-canvas.fixture.ts';
import { startFakeCanvas } from '../test/fakes/fake-canvas-server.ts';
import { fullSyncThroughApi } from '../test/helpers/full-sync.ts';
import { createTestApp } from '../test/helpers/test-app.ts';
import { naiveSync } from './sync.naive.ts';

/**
 * The real full sync (the app's course refresh, then every course's module refresh with content
 * discovery, through its HTTP API) against a fake Canvas that answers each request 50 ms late,
 * for an account shaped like a real term: 8 courses × 12 modules × 8 items, items inline, one
 * Page embedding a recording and one File per module.
 */
const COURSES = 8;
const MODULES_PER_COURSE = 12;
const LATENCY_MS = 50;
/** Canvas's defaults as hosted Canvas runs them (reference §A4). */
const CANVAS_BUCKET = {
  capacity: 700,
  leakPerSecond: 10,
  upfrontCost: 50,
  costPerRequest: 1,
} satisfies LeakyBucketOptions;
/** The unadapted client: as many in flight as a client that ignores the quota might keep. */
const FIXED_CONCURRENCY = 20;

/**
 * The fewest Canvas requests that read this account: one page of courses (≤ 100 per page), per
 * course one page of modules with their items inline (≤ 100 modules, ≤ 100 items each), and one
 * body read per Page or File item (a first sync knows no versions, so no Pages index either).
 */
function minimumRequests(state: FakeCanvasState): number {
  let total = Math.ceil(state.courses.length / 100);
  for (const course of state.courses) {
    total += Math.max(1, Math.ceil(course.modules.length / 100));
    for (const module of course.modules) {
      if (module.items.length > 100) total += Math.ceil(module.items.length / 100);
      total += module.items.filter((item) => item.type === 'Page' || item.type === 'File').length;
    }
  }
  return total;
}

/**
 * The dependent round trips: the course list names the courses, a course's modules name its
 * Pages and Files, and only then can their bodies be read. Everything at one depth can run in
 * parallel, so with unlimited parallelism a full sync takes 3 × the latency.
 */
const CRITICAL_PATH_ROUND_TRIPS = 3;

/**
 * What the bucket physically allows: each request in flight holds the up-front charge, so no
 * more than ⌊capacity ÷ up-front charge⌋ can be in flight at once, even with nothing charged for
 * good yet; at that concurrency the requests take at least requests × latency ÷ it. A lower
 * bound, not a target: the per-request charges left in the bucket lower the concurrency further.
 */
function bucketMinimumMs(requests: number): { maxInFlight: number; ms: number } {
  const maxInFlight = Math.floor(CANVAS_BUCKET.capacity / CANVAS_BUCKET.upfrontCost);
  return { maxInFlight, ms: Math.max(CRITICAL_PATH_ROUND_TRIPS, requests / maxInFlight) * LATENCY_MS };
}

type Run = { requests: number; wallMs: number; cpuMs: number; throttled: number; peakConcurrency: number };

async function timeAppSync(options: {
  bucket?: LeakyBucketOptions;
  client?: Partial<CanvasClientOptions>;
}): Promise<Run> {
  const canvas = await startFakeCanvas({
    state: buildRealisticAccount({ courses: COURSES, modulesPerCourse: MODULES_PER_COURSE }),
    ...(options.bucket ? { leakyBucket: options.bucket } : {}),
  });
  canvas.failAlways(() => true, { kind: 'delay', ms: LATENCY_MS });
  // Production retry and pause timings: `{}` replaces the test app's shortened ones.
  const t = await createTestApp({
    config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: canvas.token } },
    overrides: { canvasClient: options.client ?? {} },
  });
  try {
    const started = performance.now();
    const cpu = process.cpuUsage();
    await fullSyncThroughApi(t.app);
    const wallMs = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const stats = (t.deps.canvas as { stats?: () => { peakConcurrency: number } }).stats?.();
    return {
      requests: canvas.requests.length,
      wallMs,
      cpuMs: (user + system) / 1000,
      throttled: canvas.throttledAnswers(),
      peakConcurrency: stats?.peakConcurrency ?? 0,
    };
  } finally {
    await t.close();
    await canvas.close();
  }
}

/**
 * The sync's Canvas requests in the same order, from the client alone: no database work, so its
 * wall time is what Canvas and the client's pacing cost. Run with our client, and with one that
 * ignores `X-Rate-Limit-Remaining` (a fixed number in flight, no pacing, only retries).
 */
async function timeClientAlone(options: Partial<CanvasClientOptions>): Promise<Run> {
  const canvas = await startFakeCanvas({
    state: buildRealisticAccount({ courses: COURSES, modulesPerCourse: MODULES_PER_COURSE }),
    leakyBucket: CANVAS_BUCKET,
  });
  canvas.failAlways(() => true, { kind: 'delay', ms: LATENCY_MS });
  const client = createCanvasClient({ baseUrl: canvas.baseUrl, token: canvas.token, ...options });
  try {
    const started = performance.now();
    const courses = await client.listCourses();
    await Promise.all(
      courses.map(async (course) => {
        const items = (await client.listModulesWithItems(course.id)).flatMap((module) => module.items);
        await Promise.all(
          items.map((item) => {
            if (item.type === 'Page' && item.page_url) return client.getPage(course.id, item.page_url);
            if (item.type === 'File' && item.content_id != null)
              return client.getFile(course.id, item.content_id);
            return undefined;
          }),
        );
      }),
    );
    return {
      requests: canvas.requests.length,
      wallMs: performance.now() - started,
      cpuMs: 0,
      throttled: canvas.throttledAnswers(),
      peakConcurrency: client.stats().peakConcurrency,
    };
  } finally {
    await canvas.close();
  }
}

async function timeNaive(): Promise<Run> {
  const canvas = await startFakeCanvas({
    state: buildRealisticAccount({ courses: COURSES, modulesPerCourse: MODULES_PER_COURSE }),
  });
  canvas.failAlways(() => true, { kind: 'delay', ms: LATENCY_MS });
  try {
    const started = performance.now();
    await naiveSync(canvas.baseUrl, canvas.token);
    return {
      requests: canvas.requests.length,
      wallMs: performance.now() - started,
      cpuMs: 0,
      throttled: 0,
      peakConcurrency: 1,
    };
  } finally {
    await canvas.close();
  }
}

export async function benchSync(): Promise<{
  name: string;
  lines: string[];
  figures: Record<string, number>;
}> {
  const minimum = minimumRequests(
    buildRealisticAccount({ courses: COURSES, modulesPerCourse: MODULES_PER_COURSE }),
  );
  const criticalMs = CRITICAL_PATH_ROUND_TRIPS * LATENCY_MS;
  const bucketBound = bucketMinimumMs(minimum);
  const ours = await timeAppSync({ bucket: CANVAS_BUCKET });
  const alone = await timeClientAlone({});
  const fixed = await timeClientAlone({
    concurrency: FIXED_CONCURRENCY,
    adaptConcurrency: false,
    lowRemainingThreshold: 0,
  });
  const naive = await timeNaive();

  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const figures = {
    minimum_requests: minimum,
    requests: ours.requests,
    requests_ratio_to_minimum: ratio(ours.requests, minimum),
    critical_path_ms: criticalMs,
    wall_ms: Math.round(ours.wallMs),
    wall_ratio_to_critical_path: ratio(ours.wallMs, criticalMs),
    cpu_ms: Math.round(ours.cpuMs),
    peak_concurrency: ours.peakConcurrency,
    throttled_answers: ours.throttled,
    bucket_max_in_flight: bucketBound.maxInFlight,
    bucket_minimum_wall_ms: Math.round(bucketBound.ms),
    bucket_minimum_ratio_to_critical_path: ratio(bucketBound.ms, criticalMs),
    client_alone_wall_ms: Math.round(alone.wallMs),
    client_alone_wall_ratio_to_critical_path: ratio(alone.wallMs, criticalMs),
    client_alone_throttled_answers: alone.throttled,
    naive_requests: naive.requests,
    naive_requests_ratio_to_minimum: ratio(naive.requests, minimum),
    naive_wall_ms: Math.round(naive.wallMs),
    naive_wall_ratio_to_critical_path: ratio(naive.wallMs, criticalMs),
    fixed_concurrency: FIXED_CONCURRENCY,
    fixed_throttled_answers: fixed.throttled,
    fixed_requests: fixed.requests,
    fixed_wall_ms: Math.round(fixed.wallMs),
  };
  const items = COURSES * MODULES_PER_COURSE * REALISTIC_ITEMS_PER_MODULE;
  const reads = COURSES * MODULES_PER_COURSE * REALISTIC_READS_PER_MODULE;
  const bucket = `${CANVAS_BUCKET.capacity} units, ${CANVAS_BUCKET.upfrontCost} held per request in flight, ${CANVAS_BUCKET.costPerRequest} charged per request, ${CANVAS_BUCKET.leakPerSecond}/s leak`;
  return {
    name: 'Canvas full sync (the app’s API, content discovery included)',
    lines: [
      `account: ${COURSES} courses × ${MODULES_PER_COURSE} modules × ${REALISTIC_ITEMS_PER_MODULE} items = ${items} items, inline; ${reads} Page/File reads; ${LATENCY_MS} ms per Canvas request; Canvas's leaky bucket (${bucket})`,
      `requests ÷ minimum: ${figures.requests_ratio_to_minimum} (${ours.requests} of ${minimum}); naive sequential client: ${figures.naive_requests_ratio_to_minimum} (${naive.requests})`,
      `wall ÷ critical path (${CRITICAL_PATH_ROUND_TRIPS} round trips = ${criticalMs} ms): ${figures.wall_ratio_to_critical_path} (${figures.wall_ms} ms, ${figures.cpu_ms} ms of it CPU in this process, concurrency reached ${ours.peakConcurrency}); naive: ${figures.naive_wall_ratio_to_critical_path} (${figures.naive_wall_ms} ms)`,
      `what the bucket physically allows: at most ${bucketBound.maxInFlight} in flight (capacity ÷ up-front charge), so ${minimum} requests take ≥ ${figures.bucket_minimum_wall_ms} ms = ${figures.bucket_minimum_ratio_to_critical_path} × the critical path`,
      `the client alone (same requests, no database work): wall ÷ critical path ${figures.client_alone_wall_ratio_to_critical_path} (${figures.client_alone_wall_ms} ms, concurrency reached ${alone.peakConcurrency}, ${alone.throttled} throttled)`,
      `throttled answers: ${ours.throttled}; the same requests from a client that ignores the quota (${FIXED_CONCURRENCY} in flight, no pacing): ${fixed.throttled} (${fixed.requests} requests, ${figures.fixed_wall_ms} ms)`,
    ],
    figures,
  };
}
