import type { ItemStatus } from '../db/schema.ts';

/**
 * The status an item keeps once a job on it failed for good: the one its current files justify.
 * A forced refetch or re-summary that failed leaves a ready item ready; notes that could not be
 * made leave an item with a transcript at TRANSCRIPT_READY. A DISCOVERED item (new, or its link
 * changed so that any files it holds are stale) and a FAILED one hold no current result.
 */
export function statusAfterFailure(
  current: ItemStatus,
  stored: { transcript: boolean; summary: boolean },
): ItemStatus {
  if (current === 'SUMMARY_READY' && stored.summary) return 'SUMMARY_READY';
  if ((current === 'SUMMARY_READY' || current === 'TRANSCRIPT_READY') && stored.transcript) {
    return 'TRANSCRIPT_READY';
  }
  return 'FAILED';
}
