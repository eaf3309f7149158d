import { type Db, migrate, openDb } from './client.ts';

/** A fresh in-memory database with the real migrations applied. */
export function createTestDb(): Db {
  const db = openDb(':memory:');
  migrate(db);
  return db;
}
