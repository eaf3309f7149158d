import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { BenchResult } from './one.ts';

/**
 * `npm run bench`: every figure is a ratio or a count measured in this one run. Prints each
 * bench's lines, then one table of all figures, and writes them with the date, commit and
 * machine to bench-results/ (a timestamped file and latest.json), so runs can be compared.
 * Each bench runs in a fresh Node process of its own (one.ts), so none is measured in a process
 * that an earlier bench has used.
 */
/** In the order they run; the names one.ts knows. */
const BENCHES = ['sync', 'discovery', 'queue', 'summary', 'reads'] as const;
const ONE = fileURLToPath(new URL('./one.ts', import.meta.url));
const RESULTS_DIR = 'bench-results';

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine() {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpu_model: cores[0]?.model.trim() ?? 'unknown',
    memory_gib: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    platform: `${platform()} ${arch()}`,
  };
}

/** One block per bench: its name, then each figure and value, aligned across all benches. */
function table(results: BenchResult[]): string {
  const entries = results.flatMap((result) => Object.entries(result.figures));
  const nameWidth = Math.max(...entries.map(([figure]) => figure.length));
  const valueWidth = Math.max(...entries.map(([, value]) => String(value).length));
  return results
    .map((result) =>
      [
        result.name,
        ...Object.entries(result.figures).map(
          ([figure, value]) => `  ${figure.padEnd(nameWidth)}  ${String(value).padStart(valueWidth)}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}

/** Forks one.ts under this process's TypeScript loader and waits for the one result it sends. */
function runInOwnProcess(name: string): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const child = fork(ONE, [name], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: BenchResult | undefined;
    child.once('message', (message) => {
      result = message as BenchResult;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`bench ${name} ended (${signal ?? `exit code ${code}`}) without a result`));
    });
  });
}

const started = performance.now();
const results: BenchResult[] = [];
/** Each bench's share of the run, so the three-minute budget can be watched bench by bench. */
const benchSeconds: Record<string, number> = {};
for (const bench of BENCHES) {
  const benchStarted = performance.now();
  const result = await runInOwnProcess(bench);
  benchSeconds[result.name] = Number(((performance.now() - benchStarted) / 1000).toFixed(1));
  results.push(result);
  process.stdout.write(
    `\n${result.name} (${benchSeconds[result.name]} s)\n${result.lines.map((line) => `  ${line}`).join('\n')}\n`,
  );
}
const seconds = Number(((performance.now() - started) / 1000).toFixed(1));

const date = new Date();
const report = {
  date: date.toISOString(),
  commit: git(['rev-parse', 'HEAD']),
  uncommitted_changes: git(['status', '--porcelain']) ? true : git(['rev-parse', 'HEAD']) ? false : null,
  machine: machine(),
  seconds,
  bench_seconds: benchSeconds,
  benches: Object.fromEntries(results.map((result) => [result.name, result.figures])),
};
mkdirSync(RESULTS_DIR, { recursive: true });
const file = join(RESULTS_DIR, `bench-${date.toISOString().replace(/[:.]/g, '-')}.json`);
const json = `${JSON.stringify(report, null, 2)}\n`;
writeFileSync(file, json);
writeFileSync(join(RESULTS_DIR, 'latest.json'), json);

const { cpus: cores, cpu_model: model, memory_gib: memory } = report.machine;
process.stdout.write(
  `\nall figures (${report.date}, ${cores} × ${model}, ${memory} GiB, Node ${report.machine.node}, ${seconds} s)\n${table(results)}\n`,
);
process.stdout.write(
  `\nwritten to ${relative(process.cwd(), file)} and ${join(RESULTS_DIR, 'latest.json')}\n`,
);
