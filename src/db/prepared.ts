import { sql } from 'drizzle-orm';

/**
 * A statement built and compiled on first use, then reused: a sync writes hundreds of rows in
 * one transaction, and building each query with Drizzle and compiling it in SQLite cost more
 * than running it. Built lazily because repositories are created before migrations run.
 *
 * Such a statement runs on the connection it was prepared on, which is also that of every
 * transaction on it (better-sqlite3 has one connection and synchronous transactions), so it
 * joins the caller's transaction without being handed `tx`.
 */
export function preparedOnce<T>(build: () => T): () => T {
  let statement: T | undefined;
  return () => {
    statement ??= build();
    return statement;
  };
}

/**
 * A named placeholder where Drizzle's `update().set()` types want a value. At run time Drizzle
 * wraps it with the column's encoder, as it does a literal value, so timestamps and JSON columns
 * take the same JavaScript values as an unprepared update.
 */
export const bound = <T>(name: string): T => sql.placeholder(name) as unknown as T;
