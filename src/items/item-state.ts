/**
 * The item's state machine, in one place. An item is DISCOVERED when synced (or when its
 * recordings changed, making any files stale), TRANSCRIPT_READY once a transcript is stored
 * (fetched or uploaded), SUMMARY_READY once notes are made from that transcript, and FAILED
 * when a job failed for good and no current file is left. This module also says which items
 * hold something to fetch, and which of them a bulk action covers.
 */

import type { ItemStatus, JobKind } from '../db/schema.ts';

/** The source fields these rules read (a media source row, or a discovered ref). */
export interface SourceLike {
  provider: string;
}

const READING = 'reading';
const UPLOAD = 'upload';

/**
 * The status an item keeps once a job on it failed for good: the one its current files justify.
 * A forced refetch or re-summary that failed leaves a ready item ready; notes that could not be
 * made leave an item with a transcript at TRANSCRIPT_READY. A DISCOVERED item (new, or its
 * recordings changed so that any files it holds are stale) and a FAILED one hold no current result.
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

/** After a transcript is stored: notes made from this very text stay current, others do not. */
export function statusAfterTranscript(current: ItemStatus, options: { sameText: boolean }): ItemStatus {
  return current === 'SUMMARY_READY' && options.sameText ? 'SUMMARY_READY' : 'TRANSCRIPT_READY';
}

/**
 * After a sync found different recordings: whatever was fetched came from others and is stale,
 * and a past failure is moot. An uploaded transcript is the user's word and stays.
 */
export function statusAfterSourcesChanged(current: ItemStatus, sources: readonly SourceLike[]): ItemStatus {
  return sources.some(isUpload) ? current : 'DISCOVERED';
}

/** After a reset: nothing fetched or written is left. */
export const STATUS_AFTER_RESET: ItemStatus = 'DISCOVERED';

export const isUpload = (source: SourceLike) => source.provider === UPLOAD;
export const isReading = (source: SourceLike) => source.provider === READING;

/** The sources a fetch reads: every discovered one; an upload is stored already. */
export function fetchableSources<T extends SourceLike>(sources: readonly T[]): T[] {
  return sources.filter((source) => !isUpload(source));
}

/** An item can get a transcript when it holds a source, or a user uploaded one. */
export function canHaveTranscript(sources: readonly SourceLike[]): boolean {
  return sources.length > 0;
}

/**
 * Whether a bulk action covers the item: items with a recording (or an upload) always, readings
 * only when asked (`?include=readings`), since notes on every page of a course are rarely wanted.
 */
export function bulkCovers(sources: readonly SourceLike[], options: { includeReadings: boolean }): boolean {
  if (sources.some((source) => !isReading(source))) return true;
  return options.includeReadings && sources.some(isReading);
}

/**
 * A source whose fetch failed: its item's transcript lacks it, and a later bulk fetch tries
 * again. An uploaded transcript stands for the whole item, so nothing is missing from it.
 */
export function hasFailedSource(sources: readonly (SourceLike & { status: string })[]): boolean {
  return !sources.some(isUpload) && sources.some((source) => source.status === 'failed');
}

/** Whether the work of `kind` is already done for the item, so a bulk action skips it. */
export function isDone(kind: JobKind, status: ItemStatus, hasTranscript: boolean): boolean {
  // A DISCOVERED item with a transcript has changed recordings: not done.
  return kind === 'summarize' ? status === 'SUMMARY_READY' : hasTranscript && status !== 'DISCOVERED';
}
