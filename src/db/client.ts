import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle; repositories accept one so that services can group writes. */
export type DbOrTx = Pick<
  Db,
  'select' | 'selectDistinct' | 'insert' | 'update' | 'delete' | 'run' | 'all' | 'get'
>;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens (creating if needed) the SQLite file. WAL lets the API read while a worker writes;
 * `synchronous=NORMAL` is durable across process crashes in WAL mode, which is what jobs need;
 * `busy_timeout` lets a second process (`npm run worker`) wait for the write lock instead of
 * failing at once.
 *
 * Every `db.transaction()` is IMMEDIATE unless it asks otherwise. A DEFERRED transaction that
 * reads first holds a snapshot; if another process commits before it writes, the upgrade to a
 * write lock fails at once with SQLITE_BUSY_SNAPSHOT, which no busy timeout can wait out. Taking
 * the write lock at BEGIN makes it wait its turn instead. Single statements outside a
 * transaction take the write lock before they read, so they wait on the busy timeout as is.
 */
export function openDb(path: string, options: { busyTimeoutMs?: number } = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  const db = drizzle(sqlite, { schema }) as Db;
  const transaction = db.transaction.bind(db);
  db.transaction = (work, config) => transaction(work, { behavior: 'immediate', ...config });
  return db;
}

/**
 * Applies pending migrations. When two processes (the API and `npm run worker`) start on the
 * same fresh file at once, drizzle reads the applied list before it takes the write lock, so
 * the loser tries to create tables the winner just made; run again, it finds them recorded.
 */
export function migrate(db: Db, attempts = 3): void {
  for (let attempt = 1; ; attempt += 1) {
    try {
      drizzleMigrate(db, { migrationsFolder: MIGRATIONS_DIR });
      return;
    } catch (error) {
      if (attempt >= attempts || !isLostMigrationRace(error)) throw error;
      // A synchronous pause: start-up has nothing else to do until the schema is there.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50 * attempt);
    }
  }
}

/** The loser of two processes migrating at once: its DDL meets what the winner just created. */
function isLostMigrationRace(error: unknown): boolean {
  const messages: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause)
    messages.push(current.message);
  return messages.some((message) => /already exists|database is locked/i.test(message));
}

export function closeDb(db: Db): void {
  if (db.$client.open) db.$client.close();
}
