import type { Db } from '../db/client.ts';
import { courses, items, modules } from '../db/schema.ts';

/**
 * Inserts one course with one module holding items `firstItemId .. firstItemId + count - 1`,
 * because `jobs.item_id` references `items`. Returns the item ids.
 */
export function seedItems(
  db: Db,
  options: { count: number; courseId?: number; firstItemId?: number },
): number[] {
  const courseId = options.courseId ?? 1;
  const firstItemId = options.firstItemId ?? 1;
  const now = new Date();
  const ids = Array.from({ length: options.count }, (_, index) => firstItemId + index);
  db.transaction((tx) => {
    tx.insert(courses)
      .values({ id: courseId, name: `Course ${courseId}`, createdAt: now, updatedAt: now })
      .run();
    tx.insert(modules)
      .values({
        id: courseId,
        courseId,
        title: 'Week 1',
        position: 1,
        lastSyncedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    for (const id of ids) {
      tx.insert(items)
        .values({
          id,
          moduleId: courseId,
          courseId,
          position: id,
          type: 'ExternalTool',
          title: `Lecture ${id}`,
          canvasHash: `hash-${id}`,
          createdAt: now,
          updatedAt: now,
        })
        .run();
    }
  });
  return ids;
}
