/**
 * How many points of steal above the quietest round still count as quiet. Steal comes in bursts,
 * and a few seconds' load holds a few hundred ticks of it at most: rounds this close to the
 * quietest are as quiet as it, and a median among them keeps the median's guard against the
 * other noise (a collection, a timer) that steal does not show.
 */
export const STEAL_SLACK_PCT = 2;

/**
 * The round to report out of several of the same measurement: among the rounds the host stole
 * least from (within `STEAL_SLACK_PCT` of the least), the one with the median ratio. Steal only
 * ever slows a round, and which round the host picks to steal from has nothing to do with the
 * code measured, so choosing by it is not choosing the best result; on a quiet host every round
 * is a candidate and this is the plain median. An unknown steal (no /proc/stat) counts as none.
 */
export function reportedRound<T>(
  rounds: readonly T[],
  steal: (round: T) => number | undefined,
  ratio: (round: T) => number,
): T {
  if (rounds.length === 0) throw new Error('no rounds to report');
  const stolen = (round: T) => steal(round) ?? 0;
  const least = Math.min(...rounds.map(stolen));
  const quiet = rounds.filter((round) => stolen(round) <= least + STEAL_SLACK_PCT);
  const sorted = [...quiet].sort((a, b) => ratio(a) - ratio(b));
  return sorted[Math.floor(sorted.length / 2)] as T;
}
