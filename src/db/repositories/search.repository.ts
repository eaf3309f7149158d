import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { SearchKind, SearchRowInput } from '../../search/search.documents.ts';
import { searchErrors } from '../../search/search.errors.ts';
import type { Db, DbOrTx } from '../client.ts';
import { preparedOnce } from '../prepared.ts';
import type { ItemStatus } from '../schema.ts';
import { createSearchGenerationReads } from './search-generation.ts';

/**
 * The full-text index (`search_rows` + the FTS5 table `search_index`, migration 0004). Titles are
 * kept by triggers on `items`; transcripts and notes are replaced here, inside the transactions
 * that record their files. An item's rows go with it (foreign key).
 */

export type { SearchKind };
/** The kinds written by the services; titles follow `items` by themselves. */
export type ContentKind = Exclude<SearchKind, 'title'>;

export interface SearchHit {
  itemId: number;
  /** The item's best-scoring row. */
  rowId: number;
  kind: SearchKind;
  startMs: number | null;
  score: number;
  /** Rows of the item that match. */
  matches: number;
  courseId: number;
  moduleId: number;
  title: string;
  type: string;
  status: ItemStatus;
  provider: string | null;
}

export interface SearchPageQuery {
  /** An FTS5 expression (see search.query.ts). */
  match: string;
  courseId?: number;
  moduleId?: number;
  /** Multiplies each row's bm25 score by its kind's weight. */
  weights: Readonly<Record<SearchKind, number>>;
  limit: number;
  offset: number;
}

export interface SnippetOptions {
  open: string;
  close: string;
  ellipsis: string;
  /** Tokens per snippet, at most 64 (FTS5's limit). */
  tokens: number;
}

/** Rows per INSERT: 4 parameters each, far below SQLite's limit of bound parameters. */
const INSERT_CHUNK = 250;

type PageFilter = 'none' | 'course' | 'module' | 'both';

/**
 * A filter drops the other items' rows before they are scored, so bm25 runs only on rows that can
 * be shown. One statement per combination, because `(@courseId is null or course_id = @courseId)`
 * would keep SQLite off the indexes on `items`.
 */
const FILTERS: Readonly<Record<PageFilter, string>> = {
  none: '',
  course: 'and r.item_id in (select id from items where course_id = @courseId)',
  module: 'and r.item_id in (select id from items where module_id = @moduleId)',
  both: 'and r.item_id in (select id from items where course_id = @courseId and module_id = @moduleId)',
};

/**
 * One page of hits and the total in one statement, prepared once: building and compiling it per
 * call cost more than running it. Each matching row is scored once (`hits`, joined to
 * `search_rows` only for its kind and item) and `ranked` reduces them to one per item. An item's
 * best row is its first by score, then start, then id (titles and notes, with no start, first).
 * SQLite does not say which row's columns `min()` returns when several rows hold the minimum, so
 * `best` goes once more over the scored rows, looking each up in the page (`cross join` keeps
 * SQLite from indexing every row instead), for the rows at their item's score. The `total` row
 * comes even past the last page, where the page is empty. The page's items are read apart
 * (`ITEMS_SQL`): the ranking is kept under the index's generation (search-generation.ts), and
 * they are not.
 */
const pageSql = (filter: string) => `
  with hits as materialized (
    select r.item_id, r.id as row_id, r.kind, r.start_ms,
      bm25(search_index) * (case r.kind when 'title' then @title
        when 'notes' then @notes else @transcript end) as score
    from search_index join search_rows r on r.id = search_index.rowid
    where search_index match @match ${filter}
  ), ranked as materialized (
    select item_id, min(score) as score, count(*) as matches from hits group by item_id
  ), page as materialized (
    select * from ranked order by score, matches desc, item_id limit @limit offset @offset
  ), best as materialized (
    select h.item_id, h.row_id, h.kind, h.start_ms,
      row_number() over (partition by h.item_id order by h.start_ms, h.row_id) as place
    from hits h cross join page p
    where p.item_id = h.item_id and p.score = h.score
  )
  select total.n as total, p.item_id as itemId, b.row_id as rowId, b.kind, b.start_ms as startMs,
    p.score, p.matches
  from (select count(*) as n from ranked) as total
    left join page p
    left join best b on b.item_id = p.item_id and b.place = 1
  order by p.score, p.matches desc, p.item_id`;

/** What a hit shows of its item, read for the page's items at each search. */
const ITEMS_SQL = `
  select id as itemId, course_id as courseId, module_id as moduleId, title, type, status, provider
  from items where id in (select value from json_each(@ids))`;

/**
 * The page's rows come as one JSON array, so one prepared statement takes any number of them. The
 * `+` keeps the rowids from FTS5, which would look each one up: every lookup reads the terms'
 * doclists again, and twenty of them cost several times one pass over the matches. (A rowid bound
 * from a JavaScript number, which is a REAL, FTS5 ignores, returning every match.)
 */
const SNIPPETS_SQL = `
  select search_index.rowid as rowId,
    case r.kind when 'title' then highlight(search_index, 0, @open, @close)
      else snippet(search_index, 0, @open, @close, @ellipsis, @tokens) end as snippet
  from search_index
  join search_rows r on r.id = search_index.rowid
  where search_index match @match
    and +search_index.rowid in (select value from json_each(@ids))`;

type RankedHit = Pick<SearchHit, 'itemId' | 'rowId' | 'kind' | 'startMs' | 'score' | 'matches'>;
type HitItem = Omit<SearchHit, keyof RankedHit | 'itemId'> & { itemId: number };
/** Past the last page, the one row holds only `total`, every column of the hit null. */
type PageRow = { total: number } & (RankedHit | Record<keyof RankedHit, null>);

function filterOf({ courseId, moduleId }: Pick<SearchPageQuery, 'courseId' | 'moduleId'>): PageFilter {
  if (courseId === undefined) return moduleId === undefined ? 'none' : 'module';
  return moduleId === undefined ? 'course' : 'both';
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;

export function createSearchRepository({ db }: { db: Db }) {
  // Prepared on first use, as the migrations run after the repositories are made; they join any
  // transaction of the caller's without its `tx` (see preparedOnce).
  const page = (filter: PageFilter) =>
    preparedOnce(() =>
      db.$client.prepare<[Record<string, string | number>], PageRow>(pageSql(FILTERS[filter])),
    );
  const statements = {
    page: { none: page('none'), course: page('course'), module: page('module'), both: page('both') },
    items: preparedOnce(() => db.$client.prepare<[{ ids: string }], HitItem>(ITEMS_SQL)),
    snippets: preparedOnce(() =>
      db.$client.prepare<[Record<string, string | number>], { rowId: number; snippet: string }>(SNIPPETS_SQL),
    ),
  };
  const inOneRead = createSearchGenerationReads(db);

  return {
    /** Replaces the item's rows of `kind` with `rows`. */
    replaceContent(tx: DbOrTx, itemId: number, kind: ContentKind, rows: readonly SearchRowInput[]): void {
      tx.run(sql`delete from search_rows where item_id = ${itemId} and kind = ${kind}`);
      for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
        const values = rows
          .slice(start, start + INSERT_CHUNK)
          .map((row) => sql`(${itemId}, ${kind}, ${row.startMs}, ${row.text})`);
        tx.run(
          sql`insert into search_rows (item_id, kind, start_ms, text) values ${sql.join(values, sql`, `)}`,
        );
      }
    },

    /** Forgets the item's transcript and notes; its title stays searchable. */
    removeContent(tx: DbOrTx, itemId: number): void {
      tx.run(sql`delete from search_rows where item_id = ${itemId} and kind in ('transcript', 'notes')`);
    },

    hasContent(itemId: number, kind: ContentKind, tx: DbOrTx = db): boolean {
      return (
        tx.get<{ one: number }>(
          sql`select 1 as one from search_rows where item_id = ${itemId} and kind = ${kind} limit 1`,
        ) !== undefined
      );
    },

    /** Items that hold an artifact of `artifactKind` but no rows of `kind` (older data folders). */
    unindexed(artifactKind: 'transcript' | 'summary', kind: ContentKind, tx: DbOrTx = db): number[] {
      return tx
        .all<{ itemId: number }>(
          sql`select a.item_id as itemId from artifacts a where a.kind = ${artifactKind} and not exists
            (select 1 from search_rows r where r.item_id = a.item_id and r.kind = ${kind}) order by a.item_id`,
        )
        .map((row) => row.itemId);
    },

    /**
     * One hit per item, best first: each item's best row (lowest weighted bm25, which FTS5 makes
     * negative, better being lower), ties broken by how many of its rows match. `total` counts
     * the matching items.
     */
    search(query: SearchPageQuery, _tx: DbOrTx = db): { hits: SearchHit[]; total: number } {
      const { match, courseId, moduleId, weights, limit, offset } = query;
      const filter = filterOf(query);
      const params = {
        match,
        ...weights,
        ...(courseId === undefined ? {} : { courseId }),
        ...(moduleId === undefined ? {} : { moduleId }),
        limit,
        offset,
      };
      return inOneRead((keep) => {
        const ranked = keep(`page:${filter}:${JSON.stringify(params)}`, () => {
          const rows = matching(() => statements.page[filter]().all(params));
          const hits: RankedHit[] = [];
          for (const { total: _, ...hit } of rows) if (hit.itemId !== null) hits.push(hit);
          return { hits, total: rows[0]?.total ?? 0 };
        });
        const ids = JSON.stringify(ranked.hits.map((hit) => hit.itemId));
        const items = new Map(
          statements
            .items()
            .all({ ids })
            .map((item) => [item.itemId, item]),
        );
        const hits = ranked.hits.flatMap((hit): SearchHit[] => {
          const item = items.get(hit.itemId);
          // Cannot be missing: deleting an item deletes its rows, which moves the generation.
          return item ? [{ ...item, ...hit }] : [];
        });
        return { hits, total: ranked.total };
      });
    },

    /**
     * The matching text of each row, with every match between `open` and `close`: a title whole,
     * anything longer cut to the `tokens` around its best match.
     */
    snippets(
      match: string,
      rowIds: readonly number[],
      options: SnippetOptions,
      _tx: DbOrTx = db,
    ): ReadonlyMap<number, string> {
      if (rowIds.length === 0) return new Map<number, string>();
      const params = { match, ids: JSON.stringify(rowIds), ...options };
      return inOneRead((keep) =>
        keep(`snippets:${JSON.stringify(params)}`, () => {
          const rows = matching(() => statements.snippets().all(params));
          return new Map(rows.map((row) => [row.rowId, row.snippet]));
        }),
      );
    },
  };
}

/**
 * What SQLite says of a MATCH expression it cannot read. search.query.ts quotes every term, so
 * this should never happen; if it does, the query is still the user's, and a 400, not a 500.
 */
const FTS_SYNTAX = /^(fts5: |unterminated string|unknown special query|no such column)/;

function matching<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (isFtsSyntaxError(error)) throw searchErrors.badQuery({ cause: error });
    throw error;
  }
}

/**
 * A prepared statement throws SQLite's error itself; drizzle wraps it in its own (`Failed query:
 * …`), keeping it as the cause.
 */
function isFtsSyntaxError(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof Database.SqliteError) {
      return current.code === 'SQLITE_ERROR' && FTS_SYNTAX.test(current.message);
    }
  }
  return false;
}
