import type { JobRow } from '../db/schema.ts';
import type { ItemDetail, ItemsService } from '../items/items.service.ts';
import type { JobsRepository } from '../jobs/jobs.repository.ts';
import type { ChangeFeedRepository, ChangeRow } from './change-feed.repository.ts';

/**
 * One event of the stream, carrying the entity as it is now (not as it was at `seq`): several
 * changes of one entity within a batch become one event, at the seq of the last of them.
 */
export type FeedEvent =
  | {
      type: 'item';
      seq: number;
      courseId: number;
      detail: ItemDetail;
      /**
       * Sent because the item's job changed (its detail shows the job), just before that job's
       * own event and without an id of its own: a client that drops between the two resumes
       * from before the change and gets both again.
       */
      forJob?: true;
    }
  | { type: 'job'; seq: number; courseId: number | null; job: JobRow }
  | { type: 'item_removed'; seq: number; courseId: number | null; id: number; moduleId: number | null };

export type EventsService = ReturnType<typeof createEventsService>;

export type FeedBatch =
  | { lost: false; events: FeedEvent[]; lastSeq: number; more: boolean }
  | { lost: true; lastSeq: number };

/** Turns rows of the change feed into events, loading the current rows in a few bulk queries. */
export function createEventsService(deps: {
  feed: ChangeFeedRepository;
  items: Pick<ItemsService, 'withArtifacts'>;
  jobs: Pick<JobsRepository, 'activeForItems'>;
}) {
  const { feed } = deps;

  const itemEvents = (
    latest: ReadonlyMap<number, Pick<ChangeRow, 'seq'>>,
    removals: ReadonlyMap<number, ChangeRow>,
  ): FeedEvent[] => {
    const ids = [...latest.keys()];
    const rows = feed.items(ids);
    const active = deps.jobs.activeForItems(ids);
    const found = new Set(rows.map((row) => row.id));
    const events: FeedEvent[] = deps.items.withArtifacts(rows).map((entry) => ({
      type: 'item',
      seq: latest.get(entry.item.id)?.seq ?? 0,
      courseId: entry.item.courseId,
      // As `GET /items/{id}`: both kinds may be active at once; the newest is what the user asked for last.
      detail: { ...entry, job: (active.get(entry.item.id) ?? []).sort((a, b) => b.id - a.id)[0] ?? null },
    }));
    for (const [id, change] of latest) {
      const removal = removals.get(id);
      // Gone now but not removed in this batch: removed by a later commit, whose change comes next.
      if (found.has(id) || !removal) continue;
      events.push({
        type: 'item_removed',
        seq: change.seq,
        courseId: removal.courseId,
        id,
        moduleId: removal.moduleId,
      });
    }
    return events;
  };

  const jobEvents = (latest: Map<number, ChangeRow>): Array<Extract<FeedEvent, { type: 'job' }>> =>
    feed.jobs([...latest.keys()]).map(({ job, courseId }) => ({
      type: 'job',
      seq: latest.get(job.id)?.seq ?? 0,
      courseId,
      job,
    }));

  /** One event per entity changed in `rows`, in the order of each entity's last change. */
  const toEvents = (rows: readonly ChangeRow[]): FeedEvent[] => {
    const items = new Map<number, ChangeRow>();
    const removals = new Map<number, ChangeRow>();
    const jobs = new Map<number, ChangeRow>();
    for (const row of rows) {
      if (row.entity === 'job') jobs.set(row.entityId, row);
      else items.set(row.entityId, row);
      if (row.entity === 'item_removed') removals.set(row.entityId, row);
    }
    const jobbed = jobEvents(jobs);
    // An item's detail includes its current job, so a job's change is also its item's: without
    // an item event after it, a client mirroring `GET /items/{id}` would show the job running
    // forever. An item changed after its job already gets its own later event.
    const forJob = new Map<number, Pick<ChangeRow, 'seq'>>();
    for (const event of jobbed) {
      const { itemId } = event.job;
      if (itemId === null || removals.has(itemId)) continue;
      const own = items.get(itemId);
      if (own && own.seq > event.seq) continue;
      items.delete(itemId);
      forJob.set(itemId, { seq: event.seq });
    }
    const derived = itemEvents(forJob, new Map()).map((event) =>
      event.type === 'item' ? { ...event, forJob: true as const } : event,
    );
    const order = (event: FeedEvent) => (event.type === 'item' && event.forJob ? 0 : 1);
    return [...itemEvents(items, removals), ...derived, ...jobbed].sort(
      (a, b) => a.seq - b.seq || order(a) - order(b),
    );
  };

  return {
    latestSeq: () => feed.latestSeq(),

    /**
     * Events for the changes after `seq` (at most `limit` changes), and where the next read
     * starts; or `lost`, with the newest change to go on from, when some of those changes are
     * no longer kept. Seqs have no gaps (one writer at a time, AUTOINCREMENT), so a first change
     * past `seq + 1` means the ones between were pruned: a transaction of more changes than the
     * feed keeps, committed between two reads.
     */
    read(seq: number, limit: number): FeedBatch {
      const rows = feed.after(seq, limit);
      const first = rows[0];
      if (first !== undefined && first.seq > seq + 1) return { lost: true, lastSeq: feed.latestSeq() };
      return {
        lost: false,
        events: toEvents(rows),
        lastSeq: rows.at(-1)?.seq ?? seq,
        more: rows.length === limit,
      };
    },

    /**
     * Events for the changes after `from` up to `to` (of one course when given), or null when
     * the client must refetch what it shows instead: some of the changes are no longer kept (the
     * feed keeps the last 10,000 or more), `from` names a change this database never had, or
     * more than `maxEvents` entities changed, which the client's own reads fetch more cheaply
     * than one stream replaying them. One snapshot, so a prune committed meanwhile by another
     * process cannot take changes from under the read; entities are counted before any is loaded.
     */
    between(from: number, to: number, options: { courseId?: number; maxEvents: number }): FeedEvent[] | null {
      return feed.snapshot(() => {
        if (from > feed.latestSeq()) return null;
        if (from >= to) return [];
        if (feed.after(from, 1)[0]?.seq !== from + 1) return null;
        if (feed.countChanged(from, to, options.courseId) > options.maxEvents) return null;
        return toEvents(feed.between(from, to, options.courseId));
      });
    },
  };
}
