import Database from 'better-sqlite3';
import { type SQL, sql } from 'drizzle-orm';
import type { SearchKind, SearchRowInput } from '../../search/search.documents.ts';
import { searchErrors } from '../../search/search.errors.ts';
import type { Db, DbOrTx } from '../client.ts';
import type { ItemStatus } from '../schema.ts';

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

export type SearchRepository = ReturnType<typeof createSearchRepository>;

export function createSearchRepository({ db }: { db: Db }) {
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
    search(query: SearchPageQuery, tx: DbOrTx = db): { hits: SearchHit[]; total: number } {
      const { title, notes, transcript } = query.weights;
      const hits = matching(() =>
        tx.all<SearchHit & { total: number }>(sql`
          with hits as (
            select r.item_id, r.id as row_id, r.kind, r.start_ms,
              bm25(search_index) * (case r.kind when 'title' then ${title}
                when 'notes' then ${notes} else ${transcript} end) as score
            ${matchingRows(query)}
          ), ranked as (
            select hits.*,
              row_number() over (partition by item_id order by score, start_ms, row_id) as place,
              count(*) over (partition by item_id) as matches
            from hits
          )
          select ranked.item_id as itemId, ranked.row_id as rowId, ranked.kind, ranked.start_ms as startMs,
            ranked.score, ranked.matches, count(*) over () as total,
            i.course_id as courseId, i.module_id as moduleId, i.title, i.type, i.status, i.provider
          from ranked join items i on i.id = ranked.item_id
          where ranked.place = 1
          order by ranked.score, ranked.matches desc, ranked.item_id
          limit ${query.limit} offset ${query.offset}`),
      );
      const first = hits[0];
      if (first) return { hits: hits.map(({ total: _, ...hit }) => hit), total: first.total };
      if (query.offset === 0) return { hits: [], total: 0 };
      // A page past the end still says how many items match.
      const count = matching(() =>
        tx.get<{ total: number }>(sql`select count(distinct r.item_id) as total ${matchingRows(query)}`),
      );
      return { hits: [], total: count?.total ?? 0 };
    },

    /**
     * The matching text of each row, with every match between `open` and `close`: a title whole,
     * anything longer cut to the `tokens` around its best match.
     */
    snippets(match: string, rowIds: readonly number[], options: SnippetOptions, tx: DbOrTx = db) {
      if (rowIds.length === 0) return new Map<number, string>();
      const { open, close, ellipsis, tokens } = options;
      const rows = matching(() =>
        tx.all<{ rowId: number; snippet: string }>(sql`
          select search_index.rowid as rowId,
            case r.kind when 'title' then highlight(search_index, 0, ${open}, ${close})
              else snippet(search_index, 0, ${open}, ${close}, ${ellipsis}, ${tokens}) end as snippet
          from search_index
          join search_rows r on r.id = search_index.rowid
          where search_index match ${match}
            and search_index.rowid in (${sql.join(
              rowIds.map((id) => sql`${id}`),
              sql`, `,
            )})`),
      );
      return new Map(rows.map((row) => [row.rowId, row.snippet]));
    },
  };
}

/** `from … where …` of the rows that match, each joined to its item for the filters. */
function matchingRows(query: Pick<SearchPageQuery, 'match' | 'courseId' | 'moduleId'>): SQL {
  const filters: SQL[] = [];
  if (query.courseId !== undefined) filters.push(sql`and i.course_id = ${query.courseId}`);
  if (query.moduleId !== undefined) filters.push(sql`and i.module_id = ${query.moduleId}`);
  return sql`from search_index
    join search_rows r on r.id = search_index.rowid
    join items i on i.id = r.item_id
    where search_index match ${query.match} ${sql.join(filters, sql` `)}`;
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

/** drizzle wraps SQLite's error in its own (`Failed query: …`), keeping it as the cause. */
function isFtsSyntaxError(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (current instanceof Database.SqliteError) {
      return current.code === 'SQLITE_ERROR' && FTS_SYNTAX.test(current.message);
    }
  }
  return false;
}
