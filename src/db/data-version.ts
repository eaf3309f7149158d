import type { Db } from './client.ts';

/**
 * A value that changes whenever what the database holds may have changed: `total_changes()`
 * counts every row this connection inserted, updated or deleted (triggers included), and
 * `data_version` moves when another connection (the worker process) commits. Reads cached
 * against it are never served after a write; a statement that changes nothing leaves it alone.
 */
export function createDataVersion(db: Db): () => string {
  const statement = db.$client
    .prepare('select total_changes() as changes, data_version as version from pragma_data_version')
    .raw();
  return () => {
    const [changes, version] = statement.get() as [number, number];
    return `${version}:${changes}`;
  };
}
