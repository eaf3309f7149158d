import autocannon from 'autocannon';

/**
 * The load generator of reads.bench.ts, run as a process of its own so that it does not share
 * the server's CPU time: `reads.load.ts <json>` with `{ origin, paths, connections, seconds }`
 * prints autocannon's result as JSON. Requests take the paths in turn, across all connections,
 * so a run spreads over every URL given instead of asking one answer again and again.
 */
interface LoadSpec {
  origin: string;
  paths: string[];
  connections: number;
  seconds: number;
}

const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
let next = 0;
const result = await autocannon({
  url: spec.origin,
  connections: spec.connections,
  duration: spec.seconds,
  requests: [
    {
      method: 'GET',
      setupRequest: (request) => {
        const path = spec.paths[next % spec.paths.length] as string;
        next += 1;
        return { ...request, path };
      },
    },
  ],
});
process.stdout.write(JSON.stringify(result));
