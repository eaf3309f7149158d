import type { Database } from 'better-sqlite3';
import { preparedOnce } from './prepared.ts';

/**
 * A stamp that differs from any earlier one whenever a row of the database may have changed:
 * SQLite's count of the rows this connection has inserted, updated or deleted (its triggers'
 * rows included) and `data_version`, which moves when another connection, such as a worker in
 * another process, commits. Both only grow. A rolled-back write moves the stamp too, which costs
 * a spurious change and never a missed one. Read the stamp before the rows it vouches for: a
 * commit landing between the two then moves the next stamp, so what was read is never kept
 * under a stamp that outlived a change.
 */
export type ChangeStamp = () => string;

export function createChangeStamp(client: Database): ChangeStamp {
  // Two statements, not one select over `pragma_data_version()`: together they run in about half
  // the time of that table-valued form, and `total_changes()` costs next to nothing.
  const changes = preparedOnce(() => client.prepare('select total_changes()').pluck());
  const version = preparedOnce(() => client.prepare('pragma data_version').pluck());
  return () => `${changes().get() as number}.${version().get() as number}`;
}
