import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { createLeakyBucket, type LeakyBucketOptions } from './fake-canvas.bucket.ts';
import { type FakeStorage, routeContent, startFakeStorage } from './fake-canvas.content.ts';
import {
  buildFixture,
  createFakeCanvasContent,
  FAKE_STUDENT_ID,
  type FakeCanvasContent,
  type FakeCanvasState,
} from './fake-canvas.fixture.ts';
import {
  FORBIDDEN,
  NOT_FOUND,
  type PaginationStyle,
  paginate,
  type Reply,
  renderCourse,
  renderItem,
  renderModule,
} from './fake-canvas.render.ts';

export type { LeakyBucketOptions } from './fake-canvas.bucket.ts';
export type { FakeStorage, FakeStorageRequest } from './fake-canvas.content.ts';
export type {
  FakeCanvasContent,
  FakeCanvasState,
  FakeCourse,
  FakeFile,
  FakeMediaObject,
  FakeMediaTrack,
  FakeMediaTrackInput,
  FakeModule,
  FakeModuleItem,
  FakePage,
} from './fake-canvas.fixture.ts';
export {
  buildFixture,
  FAKE_STUDENT_ID,
  FAKE_TEACHER_ID,
  FIXTURE_UPDATED_AT,
  findCourse,
  findModule,
  generateItems,
  panoptoGuid,
} from './fake-canvas.fixture.ts';

import { type Listening, listenOnLoopback } from './listen.ts';

/** What a request asked for, so tests can count by purpose ("no page body read on re-sync"). */
export type FakeRouteKind =
  | 'courses'
  | 'course'
  | 'modules'
  | 'module'
  | 'module_items'
  | 'pages_index'
  | 'page'
  | 'file'
  | 'file_download'
  | 'media_attachment_tracks'
  | 'media_object_tracks'
  | 'other';

const ROUTE_KINDS: ReadonlyArray<[RegExp, FakeRouteKind]> = [
  [/^\/api\/v1\/courses$/, 'courses'],
  [/^\/api\/v1\/courses\/\d+$/, 'course'],
  [/^\/api\/v1\/courses\/\d+\/modules$/, 'modules'],
  [/^\/api\/v1\/courses\/\d+\/modules\/\d+$/, 'module'],
  [/^\/api\/v1\/courses\/\d+\/modules\/\d+\/items$/, 'module_items'],
  [/^\/api\/v1\/courses\/\d+\/pages$/, 'pages_index'],
  [/^\/api\/v1\/courses\/\d+\/pages\/[^/]+$/, 'page'],
  [/^\/api\/v1\/(?:courses\/\d+\/)?files\/\d+$/, 'file'],
  [/^(?:\/courses\/\d+)?\/files\/\d+\/download$/, 'file_download'],
  [/^\/api\/v1\/media_attachments\/[^/]+\/media_tracks$/, 'media_attachment_tracks'],
  [/^\/api\/v1\/media_objects\/[^/]+\/media_tracks$/, 'media_object_tracks'],
];

function routeKind(path: string): FakeRouteKind {
  return ROUTE_KINDS.find(([pattern]) => pattern.test(path))?.[1] ?? 'other';
}

/** One request as the fake saw it (recorded before faults or auth run). */
export type FakeCanvasRequest = {
  method: string;
  /** Pathname only, e.g. `/api/v1/courses/1/modules`. */
  path: string;
  /** Pathname plus raw query string. */
  url: string;
  query: URLSearchParams;
  /** The raw Authorization header, if any. */
  authorization: string | undefined;
  kind: FakeRouteKind;
  /** `performance.now()` on arrival, for pacing assertions. */
  at: number;
};

/** Scripted misbehaviour, shaped like what Canvas (or the network) really does (reference §A2). */
export type FakeCanvasFault =
  /** 403 text/plain "Rate Limit Exceeded" with `X-Rate-Limit-Remaining: 0.0`. */
  | { kind: 'throttle' }
  /** 429, optionally with `Retry-After`. */
  | { kind: 'too-many-requests'; retryAfterSeconds?: number }
  /** Canvas's JSON 5xx body; 500 unless given. */
  | { kind: 'server-error'; status?: number }
  /** 403 JSON `status: "unauthorized"`: authenticated but not permitted. */
  | { kind: 'forbidden' }
  | { kind: 'not-found' }
  /** Waits, then answers normally (for timeouts and concurrency tests). */
  | { kind: 'delay'; ms: number }
  /** Destroys the socket without answering (a network error for the client). */
  | { kind: 'destroy-socket' }
  /**
   * Sends the normal answer's status and headers (with its full Content-Length) and its first
   * `bytes` (default: half), then destroys the socket: a connection lost mid-body.
   */
  | { kind: 'truncate-body'; bytes?: number }
  /** Anything else: a raw body (string) or JSON (anything else) with extra headers. */
  | { kind: 'respond'; status: number; body: unknown; headers?: Record<string, string> };

/** A pathname (exact), a RegExp tested against path+query, or a predicate. */
export type FakeRequestMatcher = string | RegExp | ((request: FakeCanvasRequest) => boolean);

export type FakeCanvasSettings = {
  /** Modules with more items than this come back without `items`. Canvas: 100. */
  inlineItemsThreshold: number;
  /** `X-Rate-Limit-Remaining` of normal responses. */
  rateLimitRemaining: number | ((request: FakeCanvasRequest) => number);
  /** The caller's user id (media_objects tracks are filtered by it). Default `FAKE_STUDENT_ID`. */
  userId: number;
  /** File JSON `url`s carry `verifier=<uuid>`. Default true, as Canvas without the feature flag. */
  fileVerifiers: boolean;
  /** `/files/:id/download` accepts the Bearer token (UNCONFIRMED for hosted Canvas). Default true. */
  tokenOnFileDownloads: boolean;
};

export type FakeCanvasOptions = Partial<FakeCanvasSettings> & {
  /** The accepted bearer token. Default `fake-canvas-token`. */
  token?: string;
  /** Defaults to `buildFixture()`. */
  state?: FakeCanvasState;
  /**
   * The origin download redirects point at. Defaults to the storage fake's own
   * `http://127.0.0.1:PORT`; set an https name (and rewrite it in the client's fetch) for clients
   * that only follow https redirects off Canvas.
   */
  storageOrigin?: string;
  /**
   * Enforces Canvas's leaky-bucket throttle on `/api/` requests (see `createLeakyBucket`):
   * `X-Rate-Limit-Remaining` then reports the bucket and `rateLimitRemaining` is ignored.
   */
  leakyBucket?: LeakyBucketOptions;
};

export type FakeCanvas = {
  /** `http://127.0.0.1:PORT` (the Canvas root, without `/api/v1`). */
  baseUrl: string;
  token: string;
  /** Mutable: edit between calls to simulate changes in Canvas. */
  state: FakeCanvasState;
  /** Mutable: change between calls. */
  settings: FakeCanvasSettings;
  requests: FakeCanvasRequest[];
  /** How many of `requests` were of `kind`. */
  count(kind: FakeRouteKind): number;
  /** Throttled answers sent (403 Rate Limit Exceeded and 429), scripted or from the bucket. */
  throttledAnswers(): number;
  /** Set-up of Pages, Files and media tracks. */
  content: FakeCanvasContent;
  /** The signed-storage host downloads redirect to, and what reached it. */
  storage: Omit<FakeStorage, 'close'> & { publicOrigin: string };
  /** Applies `fault` to the next `times` (default 1) matching requests. */
  failNext(matcher: FakeRequestMatcher, fault: FakeCanvasFault, times?: number): void;
  /** Applies `fault` to every matching request from now on. */
  failAlways(matcher: FakeRequestMatcher, fault: FakeCanvasFault): void;
  clearFaults(): void;
  close(): Promise<void>;
};

type ScriptedFault = { matcher: FakeRequestMatcher; fault: FakeCanvasFault; remaining: number };

/**
 * Starts a real HTTP fake of the Canvas REST API on 127.0.0.1, port 0.
 *
 * @example
 * const canvas = await startFakeCanvas({ inlineItemsThreshold: 3 });
 * canvas.failNext('/api/v1/courses', { kind: 'throttle' });
 * const client = createCanvasClient({ baseUrl: canvas.baseUrl, token: canvas.token });
 * await client.listCourses();
 * expect(canvas.requests).toHaveLength(2);
 * await canvas.close();
 */
export async function startFakeCanvas(options: FakeCanvasOptions = {}): Promise<FakeCanvas> {
  const token = options.token ?? 'fake-canvas-token';
  const settings: FakeCanvasSettings = {
    inlineItemsThreshold: options.inlineItemsThreshold ?? 100,
    rateLimitRemaining: options.rateLimitRemaining ?? 700,
    userId: options.userId ?? FAKE_STUDENT_ID,
    fileVerifiers: options.fileVerifiers ?? true,
    tokenOnFileDownloads: options.tokenOnFileDownloads ?? true,
  };
  const faults: ScriptedFault[] = [];
  const bucket = options.leakyBucket ? createLeakyBucket(options.leakyBucket) : undefined;
  let throttled = 0;
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';
  let listening: Listening | undefined;
  const storage = await startFakeStorage(() => fake.state);
  const fake: FakeCanvas = {
    baseUrl: '',
    token,
    settings,
    state: options.state ?? buildFixture(),
    requests: [],
    count: (kind) => fake.requests.filter((request) => request.kind === kind).length,
    throttledAnswers: () => throttled,
    content: createFakeCanvasContent(() => fake.state),
    storage: {
      origin: storage.origin,
      requests: storage.requests,
      publicOrigin: options.storageOrigin ?? storage.origin,
    },
    failNext: (matcher, fault, times = 1) => faults.push({ matcher, fault, remaining: times }),
    failAlways: (matcher, fault) => faults.push({ matcher, fault, remaining: Number.POSITIVE_INFINITY }),
    clearFaults: () => {
      faults.length = 0;
    },
    close: async () => {
      await listening?.close();
      await storage.close();
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const request: FakeCanvasRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url: `${url.pathname}${url.search}`,
      query: url.searchParams,
      authorization: req.headers.authorization,
      kind: routeKind(url.pathname),
      at: performance.now(),
    };
    fake.requests.push(request);
    const isApi = url.pathname.startsWith('/api/');
    // Canvas throttles before it does any work, so a refused request meets no scripted fault.
    const ticket = isApi ? bucket?.admit() : undefined;
    if (ticket && !ticket.admitted) {
      throttled += 1;
      const { refusal } = ticket;
      return send(
        res,
        faultReply(
          refusal.status === 403
            ? { kind: 'throttle' }
            : { kind: 'too-many-requests', retryAfterSeconds: refusal.retryAfterSeconds },
        ),
        0,
      );
    }
    const remainingNow = () => {
      if (ticket) return ticket.settle();
      return typeof settings.rateLimitRemaining === 'function'
        ? settings.rateLimitRemaining(request)
        : settings.rateLimitRemaining;
    };
    // Canvas reads the token only on /api/ requests; web routes (file downloads) check their own.
    const answer = () => {
      const reply = (isApi ? authorize(req) : undefined) ?? route(url, req);
      send(res, reply, remainingNow());
    };

    const fault = takeFault(faults, request);
    if (!fault) return answer();
    switch (fault.kind) {
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) answer();
          else ticket?.settle();
        }, fault.ms);
        timers.add(timer);
        return;
      }
      case 'destroy-socket':
        if (ticket) ticket.settle();
        return req.socket.destroy();
      case 'truncate-body': {
        const reply = (isApi ? authorize(req) : undefined) ?? route(url, req);
        return send(res, reply, remainingNow(), { truncateTo: fault.bytes });
      }
      default: {
        const isThrottle = fault.kind === 'throttle' || fault.kind === 'too-many-requests';
        if (isThrottle) throttled += 1;
        const remaining = remainingNow();
        // Canvas reports an empty bucket on its throttle answers.
        return send(res, faultReply(fault), isThrottle ? 0 : remaining);
      }
    }
  });

  function authorize(req: IncomingMessage): Reply | undefined {
    if (req.headers.authorization === `Bearer ${token}`) return undefined;
    return {
      status: 401,
      body: { errors: [{ message: 'Invalid access token.' }] },
      headers: { 'WWW-Authenticate': 'Bearer realm="canvas-lms"' },
    };
  }

  function route(url: URL, req: IncomingMessage): Reply {
    const content = routeContent(url, {
      origin,
      state: fake.state,
      settings,
      authorization: req.headers.authorization,
      token,
      storageOrigin: fake.storage.publicOrigin,
    });
    if (content) return content;
    const match = /^\/api\/v1\/courses(?:\/(\d+)(?:\/(modules)(?:\/([^/]+)(?:\/(items))?)?)?)?$/.exec(
      url.pathname,
    );
    if (!match) return NOT_FOUND;
    const [, courseId, collection, key, items] = match;
    const includes = url.searchParams.getAll('include[]');
    if (courseId === undefined) {
      return list(url, fake.state.courses, 'numeric', (course) =>
        renderCourse(course, includes.includes('term')),
      );
    }
    const course = fake.state.courses.find((c) => c.id === Number(courseId));
    if (!course) return NOT_FOUND;
    if (collection === undefined) {
      return course.restrictedByDate
        ? FORBIDDEN
        : { status: 200, body: renderCourse(course, includes.includes('term')) };
    }
    const moduleOptions = (module: (typeof course.modules)[number], index: number) => ({
      origin,
      courseId: course.id,
      module,
      position: index + 1,
      includeItems: includes.includes('items'),
      contentDetails: includes.includes('content_details'),
      inlineItemsThreshold: settings.inlineItemsThreshold,
    });
    if (key === undefined) {
      return list(url, course.modules, 'bookmark', (module) =>
        renderModule(moduleOptions(module, course.modules.indexOf(module))),
      );
    }
    const index = course.modules.findIndex((m) => m.id === Number(key));
    const module = course.modules[index];
    if (!module) return NOT_FOUND;
    if (items === undefined) return { status: 200, body: renderModule(moduleOptions(module, index)) };
    const contentDetails = includes.includes('content_details');
    return list(url, module.items, 'bookmark', (item) =>
      renderItem({
        origin,
        courseId: course.id,
        moduleId: module.id,
        item,
        position: module.items.indexOf(item) + 1,
        contentDetails,
      }),
    );
  }

  listening = await listenOnLoopback(server, timers);
  origin = listening.origin;

  fake.baseUrl = origin;
  return fake;
}

function list<T>(url: URL, all: readonly T[], style: PaginationStyle, render: (value: T) => unknown): Reply {
  const page = paginate(all, url, style);
  if (!page) return NOT_FOUND;
  return { status: 200, body: page.slice.map(render), headers: { Link: page.linkHeader } };
}

function takeFault(faults: ScriptedFault[], request: FakeCanvasRequest): FakeCanvasFault | undefined {
  const scripted = faults.find((f) => f.remaining > 0 && matches(f.matcher, request));
  if (!scripted) return undefined;
  scripted.remaining -= 1;
  return scripted.fault;
}

function matches(matcher: FakeRequestMatcher, request: FakeCanvasRequest): boolean {
  if (typeof matcher === 'string') return request.path === matcher;
  if (matcher instanceof RegExp) return matcher.test(request.url);
  return matcher(request);
}

function faultReply(
  fault: Exclude<FakeCanvasFault, { kind: 'delay' | 'destroy-socket' | 'truncate-body' }>,
): Reply {
  switch (fault.kind) {
    case 'throttle':
      return { status: 403, body: '403 Forbidden (Rate Limit Exceeded)\n' };
    case 'too-many-requests':
      return {
        status: 429,
        body: '429 Too Many Requests (Rate Limit Exceeded)\n',
        ...(fault.retryAfterSeconds === undefined
          ? {}
          : { headers: { 'Retry-After': String(fault.retryAfterSeconds) } }),
      };
    case 'server-error':
      return {
        status: fault.status ?? 500,
        body: { errors: [{ message: 'An error occurred.', error_code: 'internal_server_error' }] },
      };
    case 'forbidden':
      return FORBIDDEN;
    case 'not-found':
      return NOT_FOUND;
    case 'respond':
      return { status: fault.status, body: fault.body, ...(fault.headers ? { headers: fault.headers } : {}) };
  }
}

function send(
  res: ServerResponse,
  reply: Reply,
  remaining: number,
  options: { truncateTo?: number | undefined } = {},
): void {
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  const bytes = Buffer.from(text);
  res.writeHead(reply.status, {
    'Content-Type':
      typeof reply.body === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    // A cut body must be announced in full, or the client could not tell it was cut.
    ...('truncateTo' in options ? { 'Content-Length': String(bytes.length) } : {}),
    'X-Rate-Limit-Remaining': remaining.toFixed(1),
    ...(remaining > 0 ? { 'X-Request-Cost': '0.0417' } : {}),
    ...reply.headers,
  });
  if (!('truncateTo' in options)) return void res.end(bytes);
  const cut = Math.min(options.truncateTo ?? Math.floor(bytes.length / 2), bytes.length - 1);
  res.write(bytes.subarray(0, cut), () => res.socket?.destroy());
}
