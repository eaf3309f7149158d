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
  const read = preparedOnce(() =>
    client.prepare('select total_changes(), data_version from pragma_data_version()').raw(true),
  );
  return () => {
    const [changes, version] = read().get() as [number, number];
    return `${changes}.${version}`;
  };
}
