import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';
import { isLoopback } from '../shared/loopback.ts';
import { corsOriginList } from './cors-origins.ts';
import { booleanString, commaList, optionalString, optionalUrl } from './env-values.ts';
import { trustedProxyList } from './trusted-proxies.ts';

/**
 * The one reader of the environment. Every key is documented here and in `.env.example`; an
 * invalid value stops the process at start with one message naming every bad key.
 */

const envSchema = z.object({
  /** Canvas root, e.g. https://school.instructure.com (a trailing /api/v1 is tolerated). */
  CANVAS_BASE_URL: optionalUrl,
  /** Personal access token; with none, the built-in demo account is served. */
  CANVAS_TOKEN: optionalString,
  /** Per-request timeout towards Canvas. */
  CANVAS_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
  /**
   * The most Canvas requests in flight per token. The client starts at 3 and moves between 1 and
   * this by `X-Rate-Limit-Remaining`; 12 is about what Canvas's default bucket holds in its ~50
   * units pre-charged per request in flight (reference §A4).
   */
  CANVAS_CONCURRENCY: z.coerce.number().int().min(1).max(50).default(12),
  OPENAI_API_KEY: optionalString,
  /**
   * Any OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 for Ollama. Fetch refuses a URL
   * with credentials in it, and the refusal would quote them: the key goes in OPENAI_API_KEY.
   */
  OPENAI_BASE_URL: optionalUrl
    .refine(
      (value) => value === undefined || !/^[a-z]+:\/\/[^/?#]*@/i.test(value),
      'must not contain a user name or password; put the key in OPENAI_API_KEY',
    )
    // The SDK appends `/chat/completions` to the whole string, so a query would swallow it.
    .refine((value) => value === undefined || !/[?#]/.test(value), 'must not contain a query or fragment'),
  /** A small, cheap model is plenty for lecture notes. */
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: z.coerce.number().int().min(1000).max(900_000).default(120_000),
  /**
   * Tokens of transcript per model request; a longer transcript is split into parts at
   * paragraph boundaries, summarized in parallel and merged.
   */
  LLM_PART_TOKENS: z.coerce.number().int().min(500).max(1_000_000).default(8_000),
  /**
   * The model's context window, prompt plus reply. Parts shrink to fit it. Ollama's OpenAI
   * endpoint uses the server's own context length (OLLAMA_CONTEXT_LENGTH): set both alike.
   */
  LLM_CONTEXT_TOKENS: z.coerce.number().int().min(4_096).max(2_000_000).default(16_384),
  /** Model requests at once across all summaries; 1 for a single local GPU. */
  LLM_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(4),
  /** The notes' language (`English`, `Deutsch`); empty writes them in the transcript's language. */
  NOTES_LANGUAGE: optionalString,
  /** One extra instruction for the model, e.g. "Give formulas in LaTeX." */
  NOTES_INSTRUCTIONS: optionalString,
  /** Origin to fetch Panopto captions from instead of the origin of the item's own link. */
  PANOPTO_BASE_URL: optionalUrl,
  /**
   * The `.ASPXAUTH` cookie of a browser logged in to Panopto, for sessions that are not
   * public. Sent only to Panopto hosts; never logged.
   */
  PANOPTO_COOKIE: optionalString,
  /** Zoom Server-to-Server OAuth app (recordings of the app owner's own account): all three or none. */
  ZOOM_ACCOUNT_ID: optionalString,
  ZOOM_CLIENT_ID: optionalString,
  ZOOM_CLIENT_SECRET: optionalString,
  /** Read Zoom share links through Zoom's unofficial web-player endpoints (opt-in). */
  ZOOM_SHARE_LINKS: booleanString.default(false),
  /** Preferred caption languages, best first (`en,de`); empty takes each host's own order. */
  CAPTION_LANGUAGES: optionalString.transform(commaList),
  /** Where the SQLite file, transcripts and summaries live. */
  DATA_DIR: z.string().trim().min(1).default('./data'),
  /**
   * How long a write waits for another process (`npm run worker`) to release SQLite's write lock
   * before it gives up with a 503 `db.busy` (a job step is then re-queued without losing an attempt).
   */
  DB_BUSY_TIMEOUT_MS: z.coerce.number().int().min(10).max(120_000).default(5_000),
  /** Loopback by default; any other address (`0.0.0.0` included) requires API_KEY. */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  /**
   * The key every request but `/health`, the page shell and `/docs` must carry as
   * `Authorization: Bearer <key>`. Required when HOST is not loopback; enforced on loopback too
   * when set. 32 characters at least (`openssl rand -hex 32`): a short one can be guessed.
   */
  API_KEY: optionalString.pipe(
    z
      .string()
      .min(32, 'must be at least 32 characters long')
      // It travels in a header: spaces or non-ASCII would be mangled on the way.
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  /**
   * Actions (refreshes, transcript fetches, summaries, uploads, resets) one client may start per
   * minute, so a looping script cannot queue thousands of model calls; 0 turns the limit off.
   */
  RATE_LIMIT_ACTIONS_PER_MINUTE: z.coerce.number().int().min(0).max(100_000).default(60),
  /**
   * The reverse proxies in front (addresses, CIDR ranges, `loopback`…): their X-Forwarded-*
   * headers name the client, its scheme and the host it asked for. Requires API_KEY, since a
   * proxy serves clients beyond this computer whatever HOST is. Empty trusts no proxy.
   */
  TRUST_PROXY: trustedProxyList,
  PORT: z.coerce.number().int().min(0).max(65_535).default(8000),
  /**
   * How long a client may take to send a whole request (headers and body); a slower or stalled
   * one is answered 408 and closed, so it cannot hold a socket open. Our requests are small.
   */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * Megabytes of answers the read cache keeps (http/read-cache.ts): the courses, modules, item
   * lists and pages, an item's records and searches, until the database next changes. 0 turns
   * it off.
   */
  READ_CACHE_MB: z.coerce.number().int().min(0).max(4_096).default(32),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Jobs run at once; summarizing is network-bound, so a little parallelism helps. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  /** A job running longer than this is aborted (and retried if attempts remain). */
  JOB_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(6 * 3_600_000)
    .default(15 * 60_000),
  JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  /**
   * How long a claimed job stays owned without a heartbeat; after a crash its jobs are claimed
   * again once this passes. Heartbeats run every sixth of it, so a busy database can miss a few.
   */
  JOB_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
  /** On SIGTERM, how long running jobs may finish before they are put back in the queue. */
  JOB_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Run the job runner inside the API process; turn off when `npm run worker` runs separately. */
  RUN_WORKER: booleanString.default(true),
  /**
   * Comma-separated origins allowed by CORS, normalised the way browsers send `Origin`, so the
   * request guard and the CORS answers agree on them; empty means CORS is off.
   */
  CORS_ORIGINS: corsOriginList,
});

export type Env = z.input<typeof envSchema>;

/** Every environment variable the service reads. */
export const ENV_KEYS = Object.keys(envSchema.shape) as Array<keyof Env>;

export interface Config {
  demo: boolean;
  /** Things in the environment worth telling the user about at start (retired settings). */
  warnings: string[];
  canvas: { baseUrl: string | undefined; token: string | undefined; timeoutMs: number; concurrency: number };
  llm: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    timeoutMs: number;
    partTokens: number;
    contextTokens: number;
    concurrency: number;
  };
  notes: { language: string | null; instructions: string | null };
  panopto: { baseUrl: string | undefined; cookie: string | undefined };
  zoom: { accountId?: string; clientId?: string; clientSecret?: string; shareLinks: boolean };
  captions: { languages: string[] };
  storage: { dataDir: string; dbPath: string; busyTimeoutMs: number };
  http: {
    host: string;
    port: number;
    requestTimeoutMs: number;
    corsOrigins: string[];
    /** TRUST_PROXY's entries; empty: no proxy is trusted. */
    trustProxy: string[];
    /** Every answer also checked against its schema by zod (response-serializer.ts): tests only. */
    checkResponses: boolean;
    /** 0: no read cache. */
    readCacheBytes: number;
  };
  /** `apiKey` undefined: no authentication (loopback only). */
  auth: { apiKey: string | undefined };
  /** `actionsPerMinute` 0: unlimited. */
  rateLimit: { actionsPerMinute: number };
  jobs: {
    concurrency: number;
    timeoutMs: number;
    maxAttempts: number;
    leaseMs: number;
    shutdownGraceMs: number;
    runInProcess: boolean;
  };
  log: { level: string };
}

/** Settings that no longer do anything, and what replaced them: worth a warning at start. */
const RETIRED_KEYS: Readonly<Record<string, string>> = {
  OPENAI_MAX_INPUT_CHARS: 'LLM_PART_TOKENS, counted in tokens',
};

export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  const isSet = (key: keyof Env) => Boolean(env[key]?.trim());
  if (isSet('CANVAS_TOKEN') && !isSet('CANVAS_BASE_URL')) {
    problems.push('CANVAS_BASE_URL: required when CANVAS_TOKEN is set');
  }
  const zoomKeys = ['ZOOM_ACCOUNT_ID', 'ZOOM_CLIENT_ID', 'ZOOM_CLIENT_SECRET'] as const;
  const zoomSet = zoomKeys.filter(isSet);
  if (zoomSet.length > 0 && zoomSet.length < zoomKeys.length) {
    const missing = zoomKeys.filter((key) => !isSet(key));
    problems.push(
      `${missing.join(', ')}: required when ${zoomSet.join(' and ')} ${zoomSet.length > 1 ? 'are' : 'is'} set`,
    );
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  if (!isSet('API_KEY') && !isLoopback(host)) {
    problems.push(
      `API_KEY: required when HOST (${host}) is not a loopback address, since other machines can then reach ` +
        'the API: set API_KEY to 32 or more random characters (`openssl rand -hex 32`), or HOST=127.0.0.1',
    );
  }
  if (!isSet('API_KEY') && isSet('TRUST_PROXY')) {
    problems.push(
      'API_KEY: required when TRUST_PROXY is set, since a reverse proxy lets other machines reach the API ' +
        'even on a loopback HOST: set API_KEY to 32 or more random characters (`openssl rand -hex 32`)',
    );
  }
  if (!parsed.success || problems.length > 0) {
    throw new AppError({
      code: 'config.invalid',
      statusCode: 500,
      message: `Invalid configuration: ${problems.join('; ')}`,
    });
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : join('.', e.DATA_DIR);
  return {
    demo: !e.CANVAS_TOKEN,
    warnings: Object.entries(RETIRED_KEYS)
      .filter(([key]) => env[key]?.trim())
      .map(([key, replacement]) => `${key} is no longer read; it was replaced by ${replacement}`),
    canvas: {
      baseUrl: e.CANVAS_BASE_URL,
      token: e.CANVAS_TOKEN,
      timeoutMs: e.CANVAS_TIMEOUT_MS,
      concurrency: e.CANVAS_CONCURRENCY,
    },
    llm: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      partTokens: e.LLM_PART_TOKENS,
      contextTokens: e.LLM_CONTEXT_TOKENS,
      concurrency: e.LLM_CONCURRENCY,
    },
    notes: { language: e.NOTES_LANGUAGE ?? null, instructions: e.NOTES_INSTRUCTIONS ?? null },
    panopto: { baseUrl: e.PANOPTO_BASE_URL, cookie: e.PANOPTO_COOKIE },
    zoom: {
      ...(e.ZOOM_ACCOUNT_ID && e.ZOOM_CLIENT_ID && e.ZOOM_CLIENT_SECRET
        ? { accountId: e.ZOOM_ACCOUNT_ID, clientId: e.ZOOM_CLIENT_ID, clientSecret: e.ZOOM_CLIENT_SECRET }
        : {}),
      shareLinks: e.ZOOM_SHARE_LINKS,
    },
    captions: { languages: e.CAPTION_LANGUAGES },
    storage: { dataDir, dbPath: resolve(dataDir, 'canvas-notes.db'), busyTimeoutMs: e.DB_BUSY_TIMEOUT_MS },
    http: {
      host: e.HOST,
      port: e.PORT,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      corsOrigins: e.CORS_ORIGINS,
      trustProxy: e.TRUST_PROXY,
      checkResponses: false,
      readCacheBytes: e.READ_CACHE_MB * 1024 * 1024,
    },
    auth: { apiKey: e.API_KEY },
    rateLimit: { actionsPerMinute: e.RATE_LIMIT_ACTIONS_PER_MINUTE },
    jobs: {
      concurrency: e.JOB_CONCURRENCY,
      timeoutMs: e.JOB_TIMEOUT_MS,
      maxAttempts: e.JOB_MAX_ATTEMPTS,
      leaseMs: e.JOB_LEASE_MS,
      shutdownGraceMs: e.JOB_SHUTDOWN_GRACE_MS,
      runInProcess: e.RUN_WORKER,
    },
    log: { level: e.LOG_LEVEL },
  };
}
