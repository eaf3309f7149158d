import { LRUCache } from 'lru-cache';
import type { Db } from '../client.ts';
import { preparedOnce } from '../prepared.ts';

/**
 * Search results kept, each under the index generation it was computed at: every change to what
 * a ranking or a snippet reads moves the generation in the same transaction (migration 0006), so
 * a result is used only while the generation it was computed at holds. A commit that touches
 * nothing they read (a job, an item's status) leaves them: computing them is most of a search's
 * cost, and a search built afresh after such a commit costs little more than reading its page's
 * items. Only committed states are kept: inside a caller's transaction a generation can still be
 * rolled back, and the same number then come again for other rows, so a search there is computed
 * and not kept.
 */
const KEPT_RESULTS = 500;

const GENERATION_SQL = 'select value from search_generation where id = 1';

/** `compute()`, or what it gave under the current generation. */
export type Keep = <T extends object>(key: string, compute: () => T) => T;

/**
 * Runs `read` in one read transaction, so the generation, what is kept under it and what else
 * `read` reads agree; inside a caller's transaction, `read` runs there and keeps nothing.
 */
export type InOneRead = <T>(read: (keep: Keep) => T) => T;

export function createSearchGenerationReads(db: Db): InOneRead {
  // Prepared on first use, as the migrations run after the repositories are made.
  const generation = preparedOnce(() => db.$client.prepare<[], number>(GENERATION_SQL).pluck());
  const kept = new LRUCache<string, object>({ max: KEPT_RESULTS });
  let keptGeneration = -1;
  const keep: Keep = (key, compute) => {
    const current = generation().get() as number;
    if (current !== keptGeneration) {
      kept.clear();
      keptGeneration = current;
    }
    const found = kept.get(key) as ReturnType<typeof compute> | undefined;
    if (found !== undefined) return found;
    const computed = compute();
    kept.set(key, computed);
    return computed;
  };
  const computeOnly: Keep = (_key, compute) => compute();
  return (read) =>
    db.$client.inTransaction ? read(computeOnly) : db.$client.transaction(() => read(keep)).deferred();
}
