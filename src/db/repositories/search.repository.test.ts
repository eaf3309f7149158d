import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../shared/errors.ts';
import type { Db } from '../client.ts';
import { createTestDb } from '../db.test-utils.ts';
import { createSearchRepository, type SearchRepository } from './search.repository.ts';

const WEIGHTS = { title: 4, notes: 2, transcript: 1 };
const page = { weights: WEIGHTS, limit: 20, offset: 0 };

let db: Db;
let search: SearchRepository;

function addItem(id: number, title: string, place: { courseId?: number; moduleId?: number } = {}) {
  const courseId = place.courseId ?? 1;
  const moduleId = place.moduleId ?? 10;
  const now = Date.now();
  db.run(
    sql`insert or ignore into courses (id, name, created_at, updated_at) values (${courseId}, 'C', ${now}, ${now})`,
  );
  db.run(sql`insert or ignore into modules (id, course_id, title, position, last_synced_at, created_at, updated_at)
    values (${moduleId}, ${courseId}, 'M', 1, ${now}, ${now}, ${now})`);
  db.run(sql`insert into items (id, module_id, course_id, position, type, title, canvas_hash, created_at, updated_at)
    values (${id}, ${moduleId}, ${courseId}, ${id}, 'ExternalUrl', ${title}, 'h', ${now}, ${now})`);
}

const ids = (match: string, filter: { courseId?: number; moduleId?: number } = {}) =>
  search.search({ match, ...filter, ...page }).hits.map((hit) => hit.itemId);
const rows = () =>
  db.all<{ item_id: number; kind: string }>(sql`select item_id, kind from search_rows order by id`);

beforeEach(() => {
  db = createTestDb();
  search = createSearchRepository({ db });
});

describe('search index triggers', () => {
  it('indexes a title when the item is stored, and again when it is renamed', () => {
    addItem(1, 'Gradient descent');
    expect(ids('"gradient"')).toEqual([1]);
    db.run(sql`update items set title = 'Newton steps' where id = 1`);
    expect(ids('"gradient"')).toEqual([]);
    expect(ids('"newton"')).toEqual([1]);
    expect(rows()).toEqual([{ item_id: 1, kind: 'title' }]);
  });

  it('strips the snippet markers from titles', () => {
    addItem(1, 'fake \uE000mark\uE001');
    const text = db.get<{ text: string }>(sql`select text from search_rows where item_id = 1`)?.text;
    expect(text).toBe('fake mark');
  });

  it('removes every row of an item deleted directly or with its module or course', () => {
    addItem(1, 'alpha', { courseId: 1, moduleId: 10 });
    addItem(2, 'alpha', { courseId: 1, moduleId: 11 });
    addItem(3, 'alpha', { courseId: 2, moduleId: 20 });
    addItem(4, 'alpha', { courseId: 2, moduleId: 20 });
    db.transaction((tx) => {
      for (const id of [1, 2, 3, 4])
        search.replaceContent(tx, id, 'transcript', [{ startMs: 0, text: 'alpha' }]);
    });
    db.run(sql`delete from items where id = 1`);
    db.run(sql`delete from modules where id = 11`);
    expect(ids('"alpha"')).toEqual([3, 4].sort());
    db.run(sql`delete from courses where id = 2`);
    expect(ids('"alpha"')).toEqual([]);
    expect(rows()).toEqual([]);
    db.run(sql`insert into search_index (search_index, rank) values ('integrity-check', 1)`);
  });
});

describe('createSearchRepository', () => {
  it('replaces one kind of an item’s rows and keeps the others', () => {
    addItem(1, 'Lecture');
    db.transaction((tx) => {
      search.replaceContent(tx, 1, 'transcript', [{ startMs: 1000, text: 'old words' }]);
      search.replaceContent(tx, 1, 'notes', [{ startMs: null, text: 'notes words' }]);
      search.replaceContent(tx, 1, 'transcript', [{ startMs: 2000, text: 'new words' }]);
    });
    expect(ids('"old"')).toEqual([]);
    expect(search.search({ match: '"new"', ...page }).hits[0]).toMatchObject({
      kind: 'transcript',
      startMs: 2000,
    });
    expect(ids('"notes"')).toEqual([1]);
    db.transaction((tx) => search.removeContent(tx, 1));
    expect(ids('"words"')).toEqual([]);
    expect(ids('"lecture"')).toEqual([1]);
  });

  it('writes transcripts larger than one INSERT', () => {
    addItem(1, 'Long');
    const paragraphs = Array.from({ length: 600 }, (_, index) => ({
      startMs: index * 1000,
      text: `word${index}`,
    }));
    db.transaction((tx) => search.replaceContent(tx, 1, 'transcript', paragraphs));
    expect(search.search({ match: '"word599"', ...page }).hits[0]?.startMs).toBe(599_000);
    expect(rows()).toHaveLength(601);
  });

  it('weights titles over notes over transcripts, one hit per item', () => {
    addItem(1, 'Unrelated one');
    addItem(2, 'Unrelated two');
    addItem(3, 'Membrane');
    db.transaction((tx) => {
      search.replaceContent(tx, 1, 'transcript', [
        { startMs: 0, text: 'membrane' },
        { startMs: 5000, text: 'membrane again' },
      ]);
      search.replaceContent(tx, 2, 'notes', [{ startMs: null, text: 'membrane' }]);
    });
    const { hits, total } = search.search({ match: '"membrane"', ...page });
    expect(hits.map((hit) => [hit.itemId, hit.kind, hit.matches])).toEqual([
      [3, 'title', 1],
      [2, 'notes', 1],
      [1, 'transcript', 2],
    ]);
    expect(total).toBe(3);
  });

  it('breaks a tie between best rows by the number of matching rows', () => {
    addItem(1, 'First');
    addItem(2, 'Second');
    db.transaction((tx) => {
      search.replaceContent(tx, 1, 'transcript', [{ startMs: 0, text: 'alpha one' }]);
      search.replaceContent(tx, 2, 'transcript', [
        { startMs: 0, text: 'alpha one' },
        { startMs: 1000, text: 'alpha two' },
      ]);
    });
    expect(ids('"alpha"')).toEqual([2, 1]);
  });

  it('reports the total past the last page', () => {
    for (const id of [1, 2, 3]) addItem(id, `alpha ${id}`);
    expect(search.search({ match: '"alpha"', ...page, limit: 2 })).toMatchObject({ total: 3 });
    expect(search.search({ match: '"alpha"', ...page, offset: 5 })).toEqual({ hits: [], total: 3 });
  });

  it('turns an FTS5 syntax error into search.bad_query, never an internal error', () => {
    addItem(1, 'alpha');
    for (const match of ['"', 'alpha OR', 'col:x', '*', 'NEAR(']) {
      let caught: unknown;
      try {
        search.search({ match, ...page });
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.code, match).toBe('search.bad_query');
    }
  });

  it('marks matches in snippets, a title whole', () => {
    addItem(1, 'Gradient descent and more words than a snippet would keep around it');
    const open = '[';
    const close = ']';
    const hit = search.search({ match: '"descent"', ...page }).hits[0];
    const snippets = search.snippets('"descent"', [hit?.rowId ?? 0], {
      open,
      close,
      ellipsis: '…',
      tokens: 3,
    });
    expect([...snippets.values()]).toEqual([
      'Gradient [descent] and more words than a snippet would keep around it',
    ]);
  });
});

describe('search ranking', () => {
  const idsOf = (itemId: number) =>
    new Map(
      db
        .all<{ id: number; text: string }>(sql`select id, text from search_rows where item_id = ${itemId}`)
        .map((row) => [row.text, row.id]),
    );

  it('takes an item’s earliest row among equally scored ones, then the first written, notes before any time', () => {
    addItem(1, 'Unrelated');
    // Equal lengths and counts of the word, so equal bm25; written out of time order.
    db.transaction((tx) =>
      search.replaceContent(tx, 1, 'transcript', [
        { startMs: 9000, text: 'alpha beta' },
        { startMs: 4000, text: 'alpha gamma' },
        { startMs: 4000, text: 'alpha delta' },
      ]),
    );
    const rowIds = idsOf(1);
    expect(search.search({ match: '"alpha"', ...page }).hits[0]).toMatchObject({
      rowId: rowIds.get('alpha gamma'),
      startMs: 4000,
      matches: 3,
    });
    db.transaction((tx) => search.replaceContent(tx, 1, 'notes', [{ startMs: null, text: 'alpha epsilon' }]));
    const even = { title: 1, notes: 1, transcript: 1 };
    expect(search.search({ match: '"alpha"', ...page, weights: even }).hits[0]).toMatchObject({
      rowId: idsOf(1).get('alpha epsilon'),
      kind: 'notes',
      startMs: null,
      matches: 4,
    });
  });

  it('orders items whose best rows score alike by their matching rows, then by id', () => {
    for (const id of [7, 3, 5]) addItem(id, `Item ${id}`);
    db.transaction((tx) => {
      search.replaceContent(tx, 7, 'transcript', [{ startMs: 0, text: 'alpha one' }]);
      search.replaceContent(tx, 3, 'transcript', [{ startMs: 0, text: 'alpha one' }]);
      search.replaceContent(tx, 5, 'transcript', [
        { startMs: 0, text: 'alpha one' },
        { startMs: 1000, text: 'alpha two' },
      ]);
    });
    expect(ids('"alpha"')).toEqual([5, 3, 7]);
    const second = search.search({ match: '"alpha"', ...page, limit: 1, offset: 1 });
    expect(second).toMatchObject({ hits: [{ itemId: 3, matches: 1 }], total: 3 });
  });

  it('keeps the items of the course, of the module, or of both', () => {
    addItem(1, 'alpha', { courseId: 1, moduleId: 10 });
    addItem(2, 'alpha', { courseId: 1, moduleId: 11 });
    addItem(3, 'alpha', { courseId: 2, moduleId: 20 });
    expect(ids('"alpha"', { courseId: 1 })).toEqual([1, 2]);
    expect(ids('"alpha"', { moduleId: 11 })).toEqual([2]);
    expect(ids('"alpha"', { courseId: 1, moduleId: 10 })).toEqual([1]);
    expect(ids('"alpha"', { courseId: 2, moduleId: 10 })).toEqual([]);
    expect(search.search({ match: '"alpha"', ...page, courseId: 1, offset: 5 })).toEqual({
      hits: [],
      total: 2,
    });
  });

  it('makes snippets of the rows asked for only', () => {
    addItem(1, 'alpha');
    db.transaction((tx) =>
      search.replaceContent(tx, 1, 'transcript', [
        { startMs: 0, text: 'alpha one' },
        { startMs: 1000, text: 'alpha two' },
      ]),
    );
    const rowId = idsOf(1).get('alpha two') ?? 0;
    const options = { open: '[', close: ']', ellipsis: '…', tokens: 8 };
    expect([...search.snippets('"alpha"', [rowId], options)]).toEqual([[rowId, '[alpha] two']]);
  });
});

describe('rankings kept under the index generation', () => {
  const generation = () => db.get<{ value: number }>(sql`select value from search_generation`)?.value;

  it('moves the generation with every change a ranking reads, and with nothing else', () => {
    const moved = (change: () => void) => {
      const before = generation();
      change();
      return generation() !== before;
    };
    expect(moved(() => addItem(1, 'Gradient descent'))).toBe(true);
    expect(moved(() => db.run(sql`update items set title = 'Newton steps' where id = 1`))).toBe(true);
    expect(
      moved(() =>
        db.transaction((tx) => search.replaceContent(tx, 1, 'transcript', [{ startMs: 0, text: 'a' }])),
      ),
    ).toBe(true);
    expect(moved(() => db.transaction((tx) => search.removeContent(tx, 1)))).toBe(true);
    addItem(2, 'Other', { courseId: 1, moduleId: 11 });
    expect(moved(() => db.run(sql`update items set module_id = 11 where id = 1`))).toBe(true);
    expect(
      moved(() => db.run(sql`update items set status = 'SUMMARY_READY', position = 7 where id = 1`)),
    ).toBe(false);
    expect(moved(() => db.run(sql`update items set title = 'Newton steps' where id = 1`))).toBe(false);
    expect(moved(() => db.run(sql`delete from items where id = 1`))).toBe(true);
  });

  it('answers from a kept ranking while the generation holds, with the items as they are now', () => {
    addItem(1, 'Gradient descent');
    expect(search.search({ match: '"gradient"', ...page }).hits[0]).toMatchObject({
      itemId: 1,
      status: 'DISCOVERED',
    });
    db.run(sql`update items set status = 'SUMMARY_READY' where id = 1`);
    // Behind the triggers' back, so the generation stays: only a kept ranking still finds it.
    db.run(sql`insert into search_index (search_index, rowid, text)
      select 'delete', id, text from search_rows where item_id = 1`);
    expect(search.search({ match: '"gradient"', ...page }).hits[0]).toMatchObject({
      itemId: 1,
      status: 'SUMMARY_READY',
    });
    expect(ids('"gradient" OR "descent"')).toEqual([]);
    db.run(sql`insert into search_index (search_index) values ('rebuild')`);
  });

  it('follows an item into another module for a filtered search', () => {
    addItem(1, 'Gradient descent', { courseId: 1, moduleId: 10 });
    addItem(2, 'Other', { courseId: 1, moduleId: 11 });
    expect(ids('"gradient"', { moduleId: 10 })).toEqual([1]);
    expect(ids('"gradient"', { moduleId: 11 })).toEqual([]);
    db.run(sql`update items set module_id = 11 where id = 1`);
    expect(ids('"gradient"', { moduleId: 10 })).toEqual([]);
    expect(ids('"gradient"', { moduleId: 11 })).toEqual([1]);
  });

  it('keeps nothing computed inside a transaction, whose generation may be rolled back', () => {
    addItem(1, 'Gradient descent');
    expect(() =>
      db.transaction((tx) => {
        tx.run(sql`update items set title = 'Alpha' where id = 1`);
        expect(ids('"alpha"')).toEqual([1]);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    // The same number of row changes, so the generation comes back to the value seen inside.
    db.run(sql`update items set title = 'Beta' where id = 1`);
    expect(ids('"alpha"')).toEqual([]);
    expect(ids('"beta"')).toEqual([1]);
  });

  it('keeps snippets under the same rule', () => {
    addItem(1, 'Lecture');
    db.transaction((tx) => search.replaceContent(tx, 1, 'transcript', [{ startMs: 0, text: 'old words' }]));
    const [hit] = search.search({ match: '"words"', ...page }).hits;
    const options = { open: '[', close: ']', ellipsis: '…', tokens: 8 };
    expect(search.snippets('"words"', [hit?.rowId ?? 0], options).get(hit?.rowId ?? 0)).toBe('old [words]');
    db.transaction((tx) => search.replaceContent(tx, 1, 'transcript', [{ startMs: 0, text: 'new words' }]));
    const [next] = search.search({ match: '"words"', ...page }).hits;
    expect(search.snippets('"words"', [next?.rowId ?? 0], options).get(next?.rowId ?? 0)).toBe('new [words]');
  });
});
