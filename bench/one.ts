import { benchDiscovery } from './discovery.bench.ts';
import { benchQueue } from './queue.bench.ts';
import { benchReads } from './reads.bench.ts';
import { benchSummary } from './summary.bench.ts';
import { benchSync } from './sync.bench.ts';

/**
 * Runs one bench, named by its argument, in this fresh process and sends its result to the
 * parent (run.ts) over IPC. A process per bench, because a server measured in a process that
 * earlier benches have used shares it with their leftovers (a heap twice the size, timers and
 * sockets still settling), which showed as a p99 several milliseconds worse than the same
 * server's in a process of its own.
 */
export interface BenchResult {
  name: string;
  lines: string[];
  figures: Record<string, number>;
}

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  sync: benchSync,
  discovery: benchDiscovery,
  queue: benchQueue,
  summary: benchSummary,
  reads: benchReads,
};

const name = process.argv[2];
const bench = name === undefined ? undefined : BENCHES[name];
if (bench === undefined || process.send === undefined) {
  console.error(`usage: forked by bench/run.ts with one of ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
const result = await bench();
// Exit once the result is sent: whatever a bench leaves open must not hold the run up.
process.send(result, () => process.exit(0));
