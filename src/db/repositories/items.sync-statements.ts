import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { bound, preparedOnce } from '../prepared.ts';
import { type ItemStatus, items } from '../schema.ts';

/**
 * The writes a sync makes per item, prepared once for the items repository (see preparedOnce:
 * they join the caller's transaction). Placeholders are named after `ItemInput`'s fields, plus
 * `now`.
 */
export function createItemSyncStatements(db: Db) {
  const p = sql.placeholder;
  const canvasFields = {
    moduleId: bound<number>('moduleId'),
    courseId: bound<number>('courseId'),
    position: bound<number>('position'),
    type: bound<string>('type'),
    title: bound<string>('title'),
    indent: bound<number>('indent'),
    canvasUrl: bound<string | null>('canvasUrl'),
    externalUrl: bound<string | null>('externalUrl'),
    apiUrl: bound<string | null>('apiUrl'),
    pageUrl: bound<string | null>('pageUrl'),
    contentId: bound<number | null>('contentId'),
    canvasHash: bound<string>('canvasHash'),
  };
  const byId = eq(items.id, p('id'));
  return {
    hashOf: preparedOnce(() => db.select({ canvasHash: items.canvasHash }).from(items).where(byId).prepare()),
    insert: preparedOnce(() =>
      db
        .insert(items)
        .values({
          id: p('id'),
          ...canvasFields,
          status: 'DISCOVERED',
          createdAt: p('now'),
          updatedAt: p('now'),
        })
        .prepare(),
    ),
    update: preparedOnce(() =>
      db
        .update(items)
        .set({ ...canvasFields, updatedAt: bound<Date>('now') })
        .where(byId)
        .prepare(),
    ),
    setSources: preparedOnce(() =>
      db
        .update(items)
        .set({
          provider: bound<string | null>('provider'),
          mediaUrl: bound<string | null>('mediaUrl'),
          updatedAt: bound<Date>('now'),
        })
        .where(byId)
        .prepare(),
    ),
    setDiscovery: preparedOnce(() =>
      db
        .update(items)
        .set({
          provider: bound<string | null>('provider'),
          mediaUrl: bound<string | null>('mediaUrl'),
          contentVersion: bound<string | null>('contentVersion'),
          updatedAt: bound<Date>('now'),
        })
        .where(byId)
        .prepare(),
    ),
    setContentVersion: preparedOnce(() =>
      db
        .update(items)
        .set({ contentVersion: bound<string>('contentVersion'), updatedAt: bound<Date>('now') })
        .where(byId)
        .prepare(),
    ),
    setStatus: preparedOnce(() =>
      db
        .update(items)
        .set({
          status: bound<ItemStatus>('status'),
          errorCode: bound<string | null>('errorCode'),
          error: bound<string | null>('error'),
          updatedAt: bound<Date>('now'),
        })
        .where(byId)
        .prepare(),
    ),
  };
}
