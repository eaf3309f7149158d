import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type autocannon from 'autocannon';
import Fastify from 'fastify';
import { COURSE_ID, MODULE_ID, type ReadsFixture, startReadsFixture } from './reads.fixture.ts';

/**
 * Requests per second and p99 latency of the cached reads, with autocannon at 32 connections,
 * against a trivial Fastify route in the same process as the ceiling; then the same while a
 * bulk summarize runs in the process (the fake model answers each call after a delay).
 * Autocannon runs in a process of its own, so it does not share the server's CPU time.
 */
const LECTURES = 100;
const CONNECTIONS = 32;
const run = promisify(execFile);
const SECONDS = 3;
const WARMUP_SECONDS = 1;
const CEILING_SECONDS = 2;
/** Enough for the bulk summarize to outlast the reads measured during it (2 jobs at a time). */
const MODEL_DELAY_MS = 400;

interface Load {
  rps: number;
  p99Ms: number;
  /** The server's CPU time per request (all its threads, the bulk's work included). */
  cpuUs: number;
  errors: number;
}

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

/**
 * Autocannon runs as its own process (its CLI, JSON out), so the server's CPU time per request
 * is this process's CPU time over the requests: a figure other load on the machine leaves alone.
 */
async function load(url: string, seconds = SECONDS): Promise<Load> {
  const before = process.cpuUsage();
  const { stdout } = await run(process.execPath, [
    AUTOCANNON,
    '--json',
    '--connections',
    String(CONNECTIONS),
    '--duration',
    String(seconds),
    url,
  ]);
  const used = process.cpuUsage(before);
  const result = JSON.parse(stdout) as autocannon.Result;
  return {
    rps: Math.round(result.requests.average),
    p99Ms: result.latency.p99,
    cpuUs: Math.round((used.user + used.system) / Math.max(1, result.requests.total)),
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

async function startCeiling(): Promise<{ url: string; close(): Promise<void> }> {
  const ceiling = Fastify();
  ceiling.get('/ceiling', async () => ({ ok: true }));
  const address = await ceiling.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${address}/ceiling`, close: () => ceiling.close() };
}

function readUrls(fixture: ReadsFixture) {
  const itemId = fixture.lectureIds[3] as number;
  return {
    module_items: `${fixture.origin}/modules/${MODULE_ID}/items`,
    item_detail: `${fixture.origin}/items/${itemId}`,
    search: `${fixture.origin}/search?q=${encodeURIComponent('training data')}`,
  } as const;
}

type Endpoint = keyof ReturnType<typeof readUrls>;

/**
 * Each endpoint once, in turn. With `ceilingUrl`, the ceiling is measured just before each
 * endpoint and the endpoint's ratio is to that figure, so a change in the machine's load during
 * the run (other processes) moves both alike.
 */
async function measureReads(
  fixture: ReadsFixture,
  ceilingUrl?: string,
): Promise<Record<Endpoint, Load & { ceiling?: Load }>> {
  const out = {} as Record<Endpoint, Load & { ceiling?: Load }>;
  for (const [name, url] of Object.entries(readUrls(fixture)) as [Endpoint, string][]) {
    const ceiling = ceilingUrl === undefined ? undefined : await load(ceilingUrl, CEILING_SECONDS);
    out[name] = { ...(await load(url)), ceiling };
  }
  return out;
}

export async function benchReads(): Promise<{
  name: string;
  lines: string[];
  figures: Record<string, number>;
}> {
  const fixture = await startReadsFixture(LECTURES);
  const ceiling = await startCeiling();
  try {
    const urls = readUrls(fixture);
    for (const url of [ceiling.url, ...Object.values(urls)]) await load(url, WARMUP_SECONDS);
    const idle = await measureReads(fixture, ceiling.url);
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
    let errors = 0;
    const lines = [
      `${LECTURES} items with transcripts and notes, ${LECTURES / 10} modules; autocannon (own process), ${CONNECTIONS} connections, ${SECONDS} s per endpoint; logs at info as in production`,
      `ceiling (a trivial route on a bare Fastify in the same process, measured before each endpoint): ${ceilings.map((figure) => figure.rps).join(', ')} req/s, p99 ${ceilings.map((figure) => figure.p99Ms).join(', ')} ms, ${ceilingUs} µs CPU per request`,
      'idle (goal: ≥ 0.40 of the ceiling, p99 < 10 ms):',
    ];
    const add = (prefix: string, label: string, figure: Load, against: number) => {
      const ratio = figure.rps / against;
      figures[`${prefix}_rps`] = figure.rps;
      figures[`${prefix}_ratio_to_ceiling`] = Number(ratio.toFixed(3));
      figures[`${prefix}_p99_ms`] = figure.p99Ms;
      figures[`${prefix}_us_per_request`] = figure.cpuUs;
      errors += figure.errors;
      lines.push(
        `  ${label.padEnd(24)} ${String(figure.rps).padStart(6)} req/s  ${ratio.toFixed(2)} of ceiling  p99 ${String(figure.p99Ms).padStart(3)} ms  ${figure.cpuUs} µs CPU/request`,
      );
    };
    for (const name of Object.keys(urls) as Endpoint[]) {
      add(name, ENDPOINT_LABELS[name], idle[name], (idle[name].ceiling as Load).rps);
    }
    lines.push(
      `while a bulk summarize of ${queued} items runs in the process (model answers after ${MODEL_DELAY_MS} ms; ratio to the mean idle ceiling, ${ceilingRps} req/s):`,
    );
    for (const name of Object.keys(urls) as Endpoint[]) {
      add(`${name}_during_bulk`, ENDPOINT_LABELS[name], busy[name], ceilingRps);
    }
    lines.push(`bulk jobs still queued or running after the reads: ${pending} of ${queued}`);
    figures.reads_bulk_jobs_pending_after = pending;
    figures.reads_errors = errors;
    if (errors > 0) lines.push(`errors, timeouts or non-2xx answers: ${errors}`);
    return { name: 'cached reads', lines, figures };
  } finally {
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
