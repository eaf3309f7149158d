import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../client.ts';
import { createTestDb } from '../db.test-utils.ts';
import { courses, type ItemStatus, items, modules } from '../schema.ts';
import { createItemsRepository, type ItemsRepository, type ListItemsFilter } from './items.repository.ts';

const now = new Date('2025-09-01T12:00:00Z');

interface SeedItem {
  id: number;
  moduleId: number;
  position: number;
  title: string;
  status?: ItemStatus;
  provider?: string | null;
}

/**
 * Course 20 is named before course 10 alphabetically, and module ids run against their
 * positions, so an ordering by name or by id would show.
 */
function seed(db: Db, seedItems: SeedItem[]) {
  db.transaction((tx) => {
    tx.insert(courses)
      .values([
        { id: 10, name: 'Zoology', createdAt: now, updatedAt: now },
        { id: 20, name: 'Anatomy', createdAt: now, updatedAt: now },
      ])
      .run();
    const module = (id: number, courseId: number, position: number) => ({
      id,
      courseId,
      title: `Module ${id}`,
      position,
      lastSyncedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    tx.insert(modules)
      .values([module(102, 10, 1), module(101, 10, 2), module(201, 20, 1)])
      .run();
    for (const item of seedItems) {
      tx.insert(items)
        .values({
          id: item.id,
          moduleId: item.moduleId,
          courseId: item.moduleId >= 200 ? 20 : 10,
          position: item.position,
          type: 'ExternalUrl',
          title: item.title,
          status: item.status ?? 'DISCOVERED',
          provider: item.provider ?? null,
          canvasHash: `hash-${item.id}`,
          createdAt: now,
          updatedAt: now,
        })
        .run();
    }
  });
}

const ITEMS: SeedItem[] = [
  { id: 1, moduleId: 101, position: 1, title: 'Lecture 3 (Panopto)', provider: 'panopto' },
  { id: 2, moduleId: 101, position: 2, title: 'Grades: 50% of the course', status: 'FAILED' },
  { id: 3, moduleId: 102, position: 2, title: 'Slides_Week1.pdf', status: 'TRANSCRIPT_READY' },
  { id: 4, moduleId: 102, position: 1, title: 'Übung 1 – Zellen', provider: 'zoom' },
  { id: 5, moduleId: 201, position: 1, title: 'Lecture 1 recording', status: 'SUMMARY_READY' },
  { id: 6, moduleId: 201, position: 2, title: 'Slides week 500', provider: 'panopto' },
];

describe('items repository: list', () => {
  let repo: ItemsRepository;
  beforeEach(() => {
    const db = createTestDb();
    seed(db, ITEMS);
    repo = createItemsRepository({ db });
  });

  const ids = (filter: Partial<ListItemsFilter>) =>
    repo.list({ limit: 50, offset: 0, ...filter }).rows.map((row) => row.id);

  it('orders by course id, then module position, then item position', () => {
    expect(ids({})).toEqual([4, 3, 1, 2, 5, 6]);
  });

  it('pages through the same order and counts every match', () => {
    expect(repo.list({ limit: 2, offset: 0 })).toMatchObject({ total: 6 });
    expect(ids({ limit: 2, offset: 2 })).toEqual([1, 2]);
    expect(ids({ limit: 2, offset: 6 })).toEqual([]);
    expect(repo.list({ limit: 2, offset: 6 }).total).toBe(6);
  });

  it('filters by course, module, any of several statuses and provider, combined', () => {
    expect(ids({ courseId: 20 })).toEqual([5, 6]);
    expect(ids({ moduleId: 102 })).toEqual([4, 3]);
    expect(ids({ statuses: ['FAILED', 'SUMMARY_READY'] })).toEqual([2, 5]);
    expect(ids({ provider: 'panopto' })).toEqual([1, 6]);
    expect(ids({ provider: null })).toEqual([3, 2, 5]);
    expect(ids({ courseId: 10, provider: 'panopto' })).toEqual([1]);
    expect(repo.list({ courseId: 10, statuses: ['DISCOVERED'], limit: 1, offset: 0 })).toMatchObject({
      total: 2,
    });
  });

  it('matches the title case-insensitively, including non-ASCII letters', () => {
    expect(ids({ search: 'LECTURE' })).toEqual([1, 5]);
    expect(ids({ search: 'übung' })).toEqual([4]);
    expect(ids({ search: 'ÜBUNG' })).toEqual([4]);
  });

  it('takes % and _ in the search literally', () => {
    expect(ids({ search: '%' })).toEqual([2]);
    expect(ids({ search: '50%' })).toEqual([2]);
    expect(ids({ search: '_' })).toEqual([3]);
    expect(ids({ search: 's_w' })).toEqual([3]);
    expect(ids({ search: '\\' })).toEqual([]);
  });
});
