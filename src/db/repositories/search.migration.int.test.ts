import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { migrate as drizzleMigrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, expect, it } from 'vitest';
import { closeDb, type Db, migrate, openDb } from '../client.ts';
import { createSearchRepository } from './search.repository.ts';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));
/** The migration that creates the index. */
const SEARCH_MIGRATION = '0004_search_index';

let dir: string | undefined;
let db: Db | undefined;
afterEach(() => {
  if (db) closeDb(db);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A database migrated up to, not including, the search index: a data folder from before it. */
function databaseBeforeSearch(): Db {
  dir = mkdtempSync(join(tmpdir(), 'canvas-notes-migrations-'));
  cpSync(MIGRATIONS, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
  const cut = journal.entries.findIndex((entry) => entry.tag === SEARCH_MIGRATION);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(journalPath, JSON.stringify(journal));
  const opened = openDb(':memory:');
  drizzleMigrate(opened, { migrationsFolder: dir });
  return opened;
}

it('indexes the titles of items stored before the search index existed', () => {
  db = databaseBeforeSearch();
  const now = Date.now();
  db.run(sql`insert into courses (id, name, created_at, updated_at) values (1, 'C', ${now}, ${now})`);
  db.run(sql`insert into modules (id, course_id, title, position, last_synced_at, created_at, updated_at)
    values (10, 1, 'M', 1, ${now}, ${now}, ${now})`);
  db.run(sql`insert into items (id, module_id, course_id, position, type, title, canvas_hash, created_at, updated_at)
    values (100, 10, 1, 1, 'Page', 'Photosynthesis basics', 'h', ${now}, ${now}),
           (101, 10, 1, 2, 'Page', 'Cell respiration', 'h', ${now}, ${now})`);

  migrate(db);

  const search = createSearchRepository({ db });
  const page = { weights: { title: 4, notes: 2, transcript: 1 }, limit: 20, offset: 0 };
  expect(search.search({ match: '"photosynthesis"', ...page }).hits.map((hit) => hit.itemId)).toEqual([100]);
  expect(search.search({ match: '"cell"', ...page }).hits.map((hit) => [hit.itemId, hit.kind])).toEqual([
    [101, 'title'],
  ]);
});
