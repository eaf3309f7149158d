import autocannon from 'autocannon';

/**
 * The load generator of reads.bench.ts, run as a process of its own so that it does not share
 * the server's CPU time. Forked once per bench run (starting Node with the TypeScript loader
 * and autocannon costs most of a second, and a run measures some thirty loads): each message
 * `{ origin, paths, connections, seconds }` is answered with autocannon's result. Requests take
 * the paths in turn, across all connections, so a run spreads over every URL given instead of
 * asking one answer again and again.
 */
interface LoadSpec {
  origin: string;
  paths: string[];
  connections: number;
  seconds: number;
}

/** One load at a time: the bench waits for each answer before it sends the next spec. */
async function measure(spec: LoadSpec): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
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
}

process.on('message', (spec: LoadSpec) => {
  measure(spec).then(
    (result) => process.send?.(result),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
// The bench closes the channel when it is done.
process.on('disconnect', () => process.exit(0));
