/**
 * Data folders from before media sources held each item's one recording as `provider` and
 * `media_url`. At start-up, such items get that recording as their source, found by the same
 * detection a sync uses, so they can be fetched and bulk actions cover them before the next
 * sync. Idempotent: items that already hold sources are left alone.
 */

import { and, isNotNull, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import { items, mediaSources } from '../db/schema.ts';
import type { TranscriptProviders } from '../transcripts/providers.registry.ts';

export function adoptLegacySources(deps: {
  db: Db;
  mediaSources: MediaSourcesRepository;
  providers: TranscriptProviders;
  now?: () => Date;
}): number {
  const legacy = deps.db
    .select({ id: items.id, mediaUrl: items.mediaUrl, title: items.title })
    .from(items)
    .where(
      and(
        isNotNull(items.mediaUrl),
        notExists(
          deps.db.select({ one: sql`1` }).from(mediaSources).where(sql`${mediaSources.itemId} = ${items.id}`),
        ),
      ),
    )
    .all();
  if (legacy.length === 0) return 0;
  const at = (deps.now ?? (() => new Date()))();
  let adopted = 0;
  deps.db.transaction((tx) => {
    for (const item of legacy) {
      if (!item.mediaUrl) continue;
      const url = item.mediaUrl;
      const refs = deps.providers.all.flatMap((provider) =>
        provider.detect({ kind: 'url', url, title: item.title }),
      );
      // The old URL is what the transcript's record names: keep it as the source's URL.
      const first = refs[0];
      if (!first) continue;
      deps.mediaSources.replaceDiscovered(tx, item.id, [{ ...first, url }], at);
      adopted += 1;
    }
  });
  return adopted;
}
