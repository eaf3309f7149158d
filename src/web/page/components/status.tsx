import type { ErrorInfo, ItemStatus, Job } from '../api-types.ts';
import { hintFor } from '../error-hints.ts';
import { isActive, jobText, STATUS_LABELS } from '../format.ts';

export function StatusBadge({ status }: { status: ItemStatus }) {
  return (
    <span class={`badge badge-${status.toLowerCase()}`} data-status={status}>
      {STATUS_LABELS[status]}
    </span>
  );
}

/** An error's message and, when there is one, what to do about it. */
export function ErrorNote({ error, compact = false }: { error: ErrorInfo | null; compact?: boolean }) {
  if (!error) return null;
  const hint = hintFor(error.code);
  return (
    <div class={compact ? 'error-note compact' : 'error-note'} role={compact ? undefined : 'alert'}>
      <p class="error-message">
        {error.message} <code class="error-code">{error.code}</code>
      </p>
      {hint && <p class="error-hint">{hint}</p>}
    </div>
  );
}

/** The item's job while it is queued or running ("Summarizing: Summarized part 3 of 7"), or how it failed. */
export function JobLine({ job }: { job: Job | null | undefined }) {
  if (!job) return null;
  if (isActive(job)) {
    const progress = job.progress;
    return (
      <div class="job-line" data-job-state={job.state}>
        <span class="job-text">{jobText(job)}</span>
        {progress && progress.total > 0 && (
          <progress max={progress.total} value={progress.current} aria-label={jobText(job)} />
        )}
      </div>
    );
  }
  if (job.state === 'failed' && job.error) {
    return (
      <div class="job-line" data-job-state={job.state}>
        <span class="job-text">{jobText(job)}</span>
        <ErrorNote error={job.error} compact />
      </div>
    );
  }
  return null;
}

/** The item's own error (`error_code`, `error`) as an ErrorInfo. */
export function itemError(item: { error: string | null; error_code: string | null }): ErrorInfo | null {
  return item.error_code ? { code: item.error_code, message: item.error ?? item.error_code } : null;
}
