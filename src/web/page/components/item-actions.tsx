import { api } from '../api.ts';
import type { Item, Job } from '../api-types.ts';
import { isActive } from '../format.ts';
import { useAction } from '../hooks.ts';
import { ErrorNote } from './status.tsx';

/** Whether the item holds anything to fetch or summarize (a recording, a reading, a transcript). */
export const hasWork = (item: Item) =>
  item.type !== 'SubHeader' && (item.provider !== null || item.transcript_path !== null);

/**
 * Fetch-transcript and summarize for one item. While a job of the item is queued or running both
 * are disabled: a second request would only return the same job, or queue one behind it.
 */
export function ItemActions({
  item,
  job,
  onJob,
}: {
  item: Item;
  job: Job | null | undefined;
  onJob: (job: Job) => void;
}) {
  const fetchTranscript = useAction(async () => onJob((await api.fetchTranscript(item.id)).job));
  const summarize = useAction(async () => onJob((await api.summarize(item.id)).job));
  const busy = isActive(job) || fetchTranscript.pending || summarize.pending;
  return (
    <div class="item-actions">
      <div class="buttons">
        <button type="button" disabled={busy} onClick={() => fetchTranscript.start()}>
          {item.transcript_path ? 'Fetch transcript again' : 'Fetch transcript'}
          <span class="visually-hidden"> of {item.title}</span>
        </button>
        <button type="button" class="primary" disabled={busy} onClick={() => summarize.start()}>
          Summarize<span class="visually-hidden"> {item.title}</span>
        </button>
      </div>
      <ErrorNote error={fetchTranscript.error ?? summarize.error} compact />
    </div>
  );
}
