import { benchDiscovery } from './discovery.bench.ts';
import { benchQueue } from './queue.bench.ts';
import { benchSummary } from './summary.bench.ts';
import { benchSync } from './sync.bench.ts';

/** `npm run bench`: every figure is a ratio measured in this one run. */
const benches = [benchSync, benchDiscovery, benchQueue, benchSummary];

for (const bench of benches) {
  const result = await bench();
  process.stdout.write(`\n${result.name}\n${result.lines.map((line) => `  ${line}`).join('\n')}\n`);
}
