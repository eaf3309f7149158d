import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import Fastify from 'fastify';
import { parseSearchQuery } from '../src/search/search.query.ts';
import { readCpuTimes, stealPercent } from './host-steal.ts';
import { COURSE_ID, MODULE_ID, type ReadsFixture, startReadsFixture } from './reads.fixture.ts';
import { reportedRound, STEAL_SLACK_PCT } from './rounds.ts';

/**
 * Requests per second and p99 latency of the cached reads, with autocannon at 32 connections,
 * against a trivial Fastify route in the same process as the ceiling: as the app runs, with its
 * read cache, and again without it (every answer built afresh, a search from the ranking the
 * search repository keeps while the index does not change); then the same while a bulk
 * summarize runs in the process (the fake model answers each call after a delay), its writes
 * emptying the cache as they land.
 * Autocannon runs in a process of its own, so it does not share the server's CPU time. Each
 * endpoint's requests rotate over many URLs (every module, every item, a set of queries), so
 * what is measured is the read, not one answer asked for again and again.
 */
const LECTURES = 100;
const CONNECTIONS = 32;
const SECONDS = 2.5;
const WARMUP_SECONDS = 1;
const CEILING_SECONDS = 1.5;
/** Enough for the bulk summarize to outlast the reads measured during it (2 jobs at a time). */
const MODEL_DELAY_MS = 400;

interface Load {
  rps: number;
  p99Ms: number;
  /** The server's CPU time per request (all its threads, the bulk's work included). */
  cpuUs: number;
  errors: number;
  /** The share of the machine's CPU time the hypervisor gave other guests meanwhile (host-steal.ts). */
  stealPct: number | undefined;
}

const LOADER = fileURLToPath(new URL('./reads.load.ts', import.meta.url));
/** The TypeScript loader this process runs under, without a CPU profiler meant for the server. */
const LOADER_ARGS = process.execArgv.filter((arg) => !arg.startsWith('--cpu-prof'));
/** Different words and phrases, most of which match many paragraphs of the lectures. */
const QUERIES = [
  'training data',
  'classifier',
  'neural network',
  'machine learning',
  'model',
  'hyperplane',
  'regression',
  'features',
  'error',
  'probability',
  '"support vector"',
  'percept*',
] as const;

let loader: ChildProcess | undefined;

/**
 * Autocannon runs as its own process (reads.load.ts, forked once), so the server's CPU time per
 * request is this process's CPU time over the requests: a figure other load on the machine
 * leaves alone.
 */
async function load(target: Target, seconds = SECONDS): Promise<Load> {
  const spec = { ...target, connections: CONNECTIONS, seconds };
  loader ??= fork(LOADER, [], { execArgv: LOADER_ARGS, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const child = loader;
  const before = process.cpuUsage();
  const timesBefore = readCpuTimes();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`the load generator exited (${code})`));
    child.once('exit', exited);
    child.once('message', (message) => {
      child.off('exit', exited);
      resolve(message as autocannon.Result);
    });
    child.send(spec);
  });
  const used = process.cpuUsage(before);
  const stealPct = stealPercent(timesBefore, readCpuTimes());
  return {
    rps: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    cpuUs: Math.round((used.user + used.system) / Math.max(1, result.requests.total)),
    errors: result.errors + result.timeouts + result.non2xx,
    stealPct,
  };
}

/** Requests go to `origin`, taking `paths` in turn. */
interface Target {
  origin: string;
  paths: string[];
}

/** As many distinct URLs as the reads get, so neither side is one URL against many. */
async function startCeiling(paths: number): Promise<{ target: Target; close(): Promise<void> }> {
  const ceiling = Fastify();
  ceiling.get('/ceiling/:id', async () => ({ ok: true }));
  const origin = await ceiling.listen({ host: '127.0.0.1', port: 0 });
  const target = { origin, paths: Array.from({ length: paths }, (_, index) => `/ceiling/${index}`) };
  return { target, close: () => ceiling.close() };
}

function readTargets(fixture: ReadsFixture, origin = fixture.origin) {
  const modules = Array.from({ length: LECTURES / 10 }, (_, week) => `/modules/${MODULE_ID + week}/items`);
  return {
    module_items: { origin, paths: modules },
    item_detail: { origin, paths: fixture.lectureIds.map((id) => `/items/${id}`) },
    search: { origin, paths: QUERIES.map((q) => `/search?q=${encodeURIComponent(q)}`) },
  } satisfies Record<string, Target>;
}

type Endpoint = keyof ReturnType<typeof readTargets>;

const IDLE_ROUNDS = 4;

type Measured = Load & { ceiling?: Load };

/** A round's steal is the worse of its two loads': both must have run on a quiet host. */
function roundSteal(figure: Measured): number | undefined {
  const stolen = [figure.stealPct, figure.ceiling?.stealPct].filter((pct) => pct !== undefined);
  return stolen.length === 0 ? undefined : Math.max(...stolen);
}

/** Per endpoint, the median ratio to its own ceiling among the least stolen rounds (rounds.ts). */
function reported(rounds: Record<Endpoint, Measured>[]): Record<Endpoint, Measured> {
  const ratio = (figure: Measured) => figure.rps / (figure.ceiling?.rps ?? 1);
  const out = {} as Record<Endpoint, Measured>;
  for (const name of Object.keys(rounds[0] ?? {}) as Endpoint[]) {
    out[name] = reportedRound(
      rounds.map((round) => round[name]),
      roundSteal,
      ratio,
    );
  }
  return out;
}

/** ", host steal 3%" where /proc/stat tells. */
function stealNote(pct: number | undefined): string {
  return pct === undefined ? '' : `, host steal ${pct}%`;
}

/**
 * Each endpoint's answers, taken once and sent again as they are by the same app (its hooks,
 * headers and log line, no read and no serialization): the floor of that endpoint on this stack.
 */
async function floorTargets(fixture: ReadsFixture): Promise<Record<Endpoint, Target>> {
  const out = {} as Record<Endpoint, Target>;
  for (const [name, target] of Object.entries(readTargets(fixture)) as [Endpoint, Target][]) {
    const paths: string[] = [];
    for (const url of target.paths) {
      const response = await fixture.app.inject({ method: 'GET', url });
      paths.push(`/bench/prerendered/${fixture.prerendered.push(response.rawPayload) - 1}`);
    }
    out[name] = { origin: target.origin, paths };
  }
  return out;
}

/**
 * SQLite's part of a search at its least: the MATCH with bm25 for every matching row, which any
 * exact ranking must do, in microseconds of CPU per query over the bench's queries.
 */
function bm25FloorUs(fixture: ReadsFixture): number {
  const statement = fixture.deps.db.$client.prepare(
    'select rowid, bm25(search_index) from search_index where search_index match ?',
  );
  const matches = QUERIES.map((q) => parseSearchQuery(q).match);
  for (const match of matches) statement.all(match);
  const rounds = 20;
  const before = process.cpuUsage();
  for (let round = 0; round < rounds; round += 1) for (const match of matches) statement.all(match);
  const used = process.cpuUsage(before);
  return Math.round((used.user + used.system) / (rounds * matches.length));
}

/** Every search query finds something and every list is full: no URL measures an empty answer. */
async function expectAnswers(fixture: ReadsFixture, paths: string[]): Promise<void> {
  for (const url of paths) {
    const response = await fixture.app.inject({ method: 'GET', url });
    const body = JSON.parse(response.body) as { results?: unknown[]; items?: unknown[] };
    const found = (body.results ?? body.items ?? []).length;
    if (response.statusCode !== 200 || found === 0) {
      throw new Error(`GET ${url}: ${response.statusCode}, ${found} results`);
    }
  }
}

/**
 * Each endpoint once, in turn. With `ceilingUrl`, the ceiling is measured just before each
 * endpoint and the endpoint's ratio is to that figure, so a change in the machine's load during
 * the run (other processes) moves both alike.
 */
async function measureReads(
  fixture: ReadsFixture,
  ceilingTarget?: Target,
  origin = fixture.origin,
): Promise<Record<Endpoint, Measured>> {
  const out = {} as Record<Endpoint, Measured>;
  for (const [name, target] of Object.entries(readTargets(fixture, origin)) as [Endpoint, Target][]) {
    const ceiling = ceilingTarget === undefined ? undefined : await load(ceilingTarget, CEILING_SECONDS);
    out[name] = { ...(await load(target)), ceiling };
  }
  return out;
}

export async function benchReads(): Promise<{
  name: string;
  lines: string[];
  figures: Record<string, number>;
}> {
  const fixture = await startReadsFixture(LECTURES);
  const ceiling = await startCeiling(LECTURES);
  try {
    const targets = readTargets(fixture);
    await expectAnswers(fixture, targets.search.paths.concat(targets.module_items.paths));
    const floors = await floorTargets(fixture);
    // The app without the cache runs the same code over the same database: warmed up by these.
    for (const target of [ceiling.target, ...Object.values(targets)]) await load(target, WARMUP_SECONDS);
    // A shared host steals up to half the CPU time for minutes at a time, and moves the ceiling
    // by a quarter from one endpoint to the next besides: each endpoint is measured in four
    // rounds, each beside its own ceiling, and the round reported is the median of the least
    // stolen ones (rounds.ts).
    const rounds: Awaited<ReturnType<typeof measureReads>>[] = [];
    for (let round = 0; round < IDLE_ROUNDS; round += 1)
      rounds.push(await measureReads(fixture, ceiling.target));
    const idle = reported(rounds);
    // The same reads with every answer built afresh: one round, each beside its own ceiling.
    const cold = await measureReads(fixture, ceiling.target, fixture.coldOrigin);
    const floor = {} as Record<Endpoint, Load>;
    for (const name of Object.keys(floors) as Endpoint[]) floor[name] = await load(floors[name]);
    const bm25Us = bm25FloorUs(fixture);
    const ceilings = Object.values(idle).map((figure) => figure.ceiling as Load);
    const mean = (values: number[]) =>
      Math.round(values.reduce((sum, value) => sum + value, 0) / values.length);
    const ceilingRps = mean(ceilings.map((figure) => figure.rps));
    const ceilingUs = mean(ceilings.map((figure) => figure.cpuUs));

    fixture.llm.respondWith(() => ({
      kind: 'completion',
      content: '# Notes\n\n## [00:00:00] Training data\n- The model learns from examples.',
      delayMs: MODEL_DELAY_MS,
    }));
    const bulk = await fixture.app.inject({
      method: 'POST',
      url: `/courses/${COURSE_ID}/summarize?force=true`,
    });
    if (bulk.statusCode !== 202) throw new Error(`bulk summarize: ${bulk.statusCode} ${bulk.body}`);
    const queued = (JSON.parse(bulk.body) as { jobs: unknown[] }).jobs.length;
    fixture.deps.runner.start();
    const busy = await measureReads(fixture);
    const left = fixture.deps.repositories.jobs.countByState();
    const pending = left.queued + left.running;

    const figures: Record<string, number> = {
      reads_ceiling_rps: ceilingRps,
      reads_ceiling_p99_ms: Math.max(...ceilings.map((figure) => figure.p99Ms)),
      reads_ceiling_us_per_request: ceilingUs,
    };
    const ceilingSteal = ceilings.map((figure) => figure.stealPct).filter((pct) => pct !== undefined);
    if (ceilingSteal.length > 0) figures.reads_ceiling_host_steal_pct = Math.max(...ceilingSteal);
    let errors = 0;
    const lines = [
      `${LECTURES} items with transcripts and notes, ${LECTURES / 10} modules; autocannon (own process), ${CONNECTIONS} connections, ${SECONDS} s per endpoint, rotating over every module's items (${LECTURES / 10}), every item (${LECTURES}) and ${QUERIES.length} search queries; LOG_LEVEL=info as in production, which writes no line for a successful read`,
      `ceiling (a trivial route on a bare Fastify in the same process, over as many URLs, measured before each endpoint in each of ${IDLE_ROUNDS} rounds; each endpoint's round shown is the median of those the host stole least from, within ${STEAL_SLACK_PCT} points): ${ceilings.map((figure) => figure.rps).join(', ')} req/s, p99 ${ceilings.map((figure) => figure.p99Ms).join(', ')} ms, ${ceilingUs} µs CPU per request${ceilings.some((figure) => figure.stealPct !== undefined) ? `, host steal ${ceilings.map((figure) => figure.stealPct ?? '?').join(', ')}%` : ''}`,
      'idle, answered from the read cache where the database has not changed since (goal: ≥ 0.40 of the ceiling, p99 < 10 ms):',
    ];
    /** `against` is the ceiling measured beside the figure (its rps and p99). */
    const add = (prefix: string, label: string, figure: Load, against: Pick<Load, 'rps' | 'p99Ms'>) => {
      const ratio = figure.rps / against.rps;
      const p99Ratio = figure.p99Ms / against.p99Ms;
      figures[`${prefix}_rps`] = figure.rps;
      figures[`${prefix}_ratio_to_ceiling`] = Number(ratio.toFixed(3));
      figures[`${prefix}_p99_ms`] = figure.p99Ms;
      figures[`${prefix}_p99_ratio_to_ceiling`] = Number(p99Ratio.toFixed(2));
      figures[`${prefix}_us_per_request`] = figure.cpuUs;
      if (figure.stealPct !== undefined) figures[`${prefix}_host_steal_pct`] = figure.stealPct;
      errors += figure.errors;
      lines.push(
        `  ${label.padEnd(24)} ${String(figure.rps).padStart(6)} req/s  ${ratio.toFixed(2)} of ceiling  p99 ${String(figure.p99Ms).padStart(4)} ms (${p99Ratio.toFixed(1)}× the ceiling's)  ${figure.cpuUs} µs CPU/request${stealNote(figure.stealPct)}`,
      );
    };
    for (const name of Object.keys(targets) as Endpoint[]) {
      add(name, ENDPOINT_LABELS[name], idle[name], idle[name].ceiling as Load);
    }
    lines.push(
      'idle, without the read cache (READ_CACHE_MB=0: every answer built afresh, a search from the ranking kept while the index holds; one round):',
    );
    for (const name of Object.keys(targets) as Endpoint[]) {
      add(`${name}_cold`, ENDPOINT_LABELS[name], cold[name], cold[name].ceiling as Load);
    }
    lines.push(
      "floors: each endpoint's own answers sent again as they are through the same app (no read, no serialization), and SQLite's bm25 over every matching row of the search queries:",
    );
    for (const name of Object.keys(targets) as Endpoint[]) {
      const ratio = idle[name].rps / floor[name].rps;
      const coldRatio = cold[name].rps / floor[name].rps;
      figures[`${name}_floor_rps`] = floor[name].rps;
      figures[`${name}_floor_us_per_request`] = floor[name].cpuUs;
      figures[`${name}_ratio_to_floor`] = Number(ratio.toFixed(3));
      figures[`${name}_cold_ratio_to_floor`] = Number(coldRatio.toFixed(3));
      errors += floor[name].errors;
      lines.push(
        `  ${ENDPOINT_LABELS[name].padEnd(24)} floor ${String(floor[name].rps).padStart(6)} req/s, p99 ${String(floor[name].p99Ms).padStart(3)} ms, ${floor[name].cpuUs} µs CPU/request${stealNote(floor[name].stealPct)}; the endpoint runs at ${ratio.toFixed(2)} of it, ${coldRatio.toFixed(2)} without the cache`,
      );
    }
    figures.search_bm25_floor_us = bm25Us;
    figures.search_cold_ratio_to_bm25_floor = Number((cold.search.cpuUs / bm25Us).toFixed(2));
    lines.push(
      `  SQLite's bm25 alone: ${bm25Us} µs CPU per query, ${(bm25Us / ceilingUs).toFixed(1)}× the ceiling's whole request; a search built afresh from its kept ranking costs ${(cold.search.cpuUs / bm25Us).toFixed(2)}× that`,
    );
    lines.push(
      `while a bulk summarize of ${queued} items runs in the process (model answers after ${MODEL_DELAY_MS} ms; ratio to the mean idle ceiling, ${ceilingRps} req/s, and p99 to its highest, ${figures.reads_ceiling_p99_ms} ms):`,
    );
    for (const name of Object.keys(targets) as Endpoint[]) {
      add(`${name}_during_bulk`, ENDPOINT_LABELS[name], busy[name], {
        rps: ceilingRps,
        p99Ms: figures.reads_ceiling_p99_ms as number,
      });
    }
    lines.push(`bulk jobs still queued or running after the reads: ${pending} of ${queued}`);
    figures.reads_bulk_jobs_pending_after = pending;
    figures.reads_errors = errors;
    if (errors > 0) lines.push(`errors, timeouts or non-2xx answers: ${errors}`);
    return { name: 'cached reads', lines, figures };
  } finally {
    loader?.disconnect();
    loader = undefined;
    await ceiling.close();
    await fixture.close();
  }
}

const ENDPOINT_LABELS: Record<Endpoint, string> = {
  module_items: 'GET /modules/{id}/items',
  item_detail: 'GET /items/{id}',
  search: 'GET /search',
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchReads();
  process.stdout.write(`${result.lines.join('\n')}\n`);
}
