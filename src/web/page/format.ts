import type { BulkJobs, ItemStatus, Job, SyncCounts } from './api-types.ts';

export const STATUS_LABELS: Record<ItemStatus, string> = {
  DISCOVERED: 'Not fetched yet',
  TRANSCRIPT_READY: 'Transcript ready',
  SUMMARY_READY: 'Notes ready',
  FAILED: 'Failed',
};

const PROVIDERS: Record<string, string> = {
  panopto: 'Panopto',
  zoom: 'Zoom',
  canvas_media: 'Canvas media',
  youtube: 'YouTube',
  reading: 'Reading',
  upload: 'Uploaded transcript',
};

const TYPES: Record<string, string> = {
  ExternalUrl: 'Link',
  ExternalTool: 'External tool',
  Page: 'Page',
  File: 'File',
  Assignment: 'Assignment',
  Quiz: 'Quiz',
  Discussion: 'Discussion',
  SubHeader: 'Heading',
};

export const providerLabel = (provider: string | null) =>
  provider === null ? 'No recording' : (PROVIDERS[provider] ?? provider);

export const typeLabel = (type: string) => TYPES[type] ?? type;

export const plural = (count: number, one: string, many = `${one}s`) =>
  `${count} ${count === 1 ? one : many}`;

/** "3 added, 1 updated, 0 removed" */
export const syncText = (counts: SyncCounts) =>
  `${counts.added} added, ${counts.updated} updated, ${counts.removed} removed`;

const SKIP_REASONS: Record<BulkJobs['skipped'][number]['reason'], string> = {
  already_done: 'already done',
  no_transcript_source: 'no recording',
  reading_excluded: 'readings',
};

/** "Queued 2 summaries; skipped 3 (2 already done, 1 no recording)." */
export function bulkText({ jobs, skipped }: BulkJobs): string {
  const reasons = new Map<string, number>();
  for (const skip of skipped) reasons.set(skip.reason, (reasons.get(skip.reason) ?? 0) + 1);
  const why = [...reasons]
    .map(([reason, count]) => `${count} ${SKIP_REASONS[reason as keyof typeof SKIP_REASONS] ?? reason}`)
    .join(', ');
  const queued = `Queued ${plural(jobs.length, 'summary', 'summaries')}`;
  return skipped.length ? `${queued}; skipped ${skipped.length} (${why}).` : `${queued}.`;
}

export const isActive = (job: Job | null | undefined): boolean =>
  job?.state === 'queued' || job?.state === 'running';

/** "Summarizing: Summarized part 3 of 7", "Fetching the transcript: queued" */
export function jobText(job: Job): string {
  const what = job.kind === 'summarize' ? 'Summarizing' : 'Fetching the transcript';
  if (job.state === 'queued') return `${what}: waiting in the queue`;
  if (job.state === 'running') {
    const progress = job.progress;
    if (!progress) return `${what}…`;
    return `${what}: ${progress.message ?? `step ${progress.current} of ${progress.total}`}`;
  }
  if (job.state === 'failed') return `${what} failed`;
  if (job.state === 'cancelled') return `${what} was cancelled`;
  return `${what}: done`;
}

export function dateText(iso: string | null): string {
  if (!iso) return 'never';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
