import type { ArtifactFile } from '../db/repositories/artifacts.repository.ts';
import type { ModuleWithCount } from '../db/repositories/modules.repository.ts';
import type { ArtifactRow, CourseRow, ItemRow, JobRow, MediaSourceRow } from '../db/schema.ts';
import type { LinkedSegment } from '../items/item-content.service.ts';
import type { ItemDetail } from '../items/items.service.ts';
import type { SegmentSource } from '../items/transcript-segments.ts';
import type { SearchResult } from '../search/search.service.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { FoundIn, SourceProvider } from '../transcripts/transcript-provider.ts';

/** Rows → the API's snake_case JSON. */

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function presentCourse(row: CourseRow) {
  return {
    id: row.id,
    name: row.name,
    course_code: row.courseCode,
    term_name: row.termName,
    workflow_state: row.workflowState,
    last_synced_at: iso(row.lastSyncedAt),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function presentModule(row: ModuleWithCount) {
  return {
    id: row.id,
    course_id: row.courseId,
    title: row.title,
    position: row.position,
    item_count: row.itemCount,
    last_synced_at: row.lastSyncedAt.toISOString(),
  };
}

export function presentJob(row: JobRow) {
  return {
    id: row.id,
    item_id: row.itemId,
    kind: row.kind,
    state: row.state,
    attempts: row.attempts,
    max_attempts: row.maxAttempts,
    progress:
      row.progressTotal !== null && row.progressCurrent !== null
        ? { current: row.progressCurrent, total: row.progressTotal, message: row.progressMessage }
        : null,
    error: row.errorCode ? { code: row.errorCode, message: row.errorMessage ?? '' } : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
    started_at: iso(row.startedAt),
    finished_at: iso(row.finishedAt),
  };
}

export function presentSource(row: MediaSourceRow) {
  return {
    // The database holds only what discovery and uploads wrote, which these types describe.
    provider: row.provider as SourceProvider,
    ref: row.ref,
    url: row.url,
    title: row.title,
    found_in: row.foundIn as FoundIn,
    status: row.status,
    error_code: row.errorCode,
    error: row.error,
  };
}

export function presentItem(
  { item: row, artifacts, sources }: { item: ItemRow; artifacts: ArtifactFile[]; sources: MediaSourceRow[] },
  files: FileStore,
) {
  const pathOf = (kind: ArtifactRow['kind']) => {
    const artifact = artifacts.find((candidate) => candidate.kind === kind);
    return artifact ? files.displayPath(artifact.path) : null;
  };
  return {
    id: row.id,
    course_id: row.courseId,
    module_id: row.moduleId,
    position: row.position,
    type: row.type,
    title: row.title,
    indent: row.indent,
    canvas_url: row.canvasUrl,
    external_url: row.externalUrl,
    provider: row.provider,
    media_url: row.mediaUrl,
    status: row.status,
    error: row.error,
    error_code: row.errorCode,
    transcript_path: pathOf('transcript'),
    summary_path: pathOf('summary'),
    media_links: sources.flatMap((source) =>
      source.url ? [{ provider: source.provider as SourceProvider, url: source.url }] : [],
    ),
    media_sources: sources.map(presentSource),
    updated_at: row.updatedAt.toISOString(),
  };
}

/**
 * `GET /items/{id}` (and each `item` event of `GET /events`): the item with its current job and
 * its artifact records, oldest first, as `GET /items/{id}/artifacts` lists them.
 */
export function presentItemDetail({ job, ...item }: ItemDetail, files: FileStore) {
  return {
    ...presentItem(item, files),
    job: job ? presentJob(job) : null,
    artifacts: [...item.artifacts].sort((a, b) => a.id - b.id).map((row) => presentArtifact(row, files)),
  };
}

/** Token usage as the server reported it; `null` when it reported none (and for files). */
function usageOf(row: ArtifactRow) {
  return row.promptTokens === null && row.completionTokens === null
    ? null
    : { prompt_tokens: row.promptTokens, completion_tokens: row.completionTokens };
}

export function presentArtifact(row: ArtifactRow, files: FileStore) {
  return {
    id: row.id,
    item_id: row.itemId,
    kind: row.kind,
    path: files.displayPath(row.path),
    created_at: row.createdAt.toISOString(),
    content_hash: row.contentHash,
    bytes: row.bytes,
    source_hash: row.sourceHash,
    model: row.model,
    usage: usageOf(row),
  };
}

/** `GET /items/{id}/summary` as JSON: the notes and the record of how they were made. */
export function presentSummary(row: ArtifactRow, markdown: string) {
  const details = row.details;
  return {
    item_id: row.itemId,
    markdown,
    model: row.model,
    created_at: row.createdAt.toISOString(),
    summarizer: details?.summarizer ?? null,
    prompt_version: details?.promptVersion ?? null,
    parts: details?.parts ?? null,
    calls: details?.calls ?? null,
    usage: usageOf(row),
    wall_ms: details?.wallMs ?? null,
    left_out: (details?.leftOut ?? []).map((part) => ({
      part: part.part,
      start_ms: part.startMs,
      reason: part.reason,
    })),
    times_dropped: details?.timesDropped ?? null,
  };
}

export function presentSegment(segment: LinkedSegment) {
  return {
    start_ms: segment.startMs,
    start: segment.start,
    text: segment.text,
    link: segment.link,
    source: segment.source,
  };
}

export function presentSegmentSource(source: SegmentSource) {
  return { heading: source.heading, provider: source.provider, url: source.url };
}

export function presentSearchResult(result: SearchResult) {
  return {
    item_id: result.itemId,
    course_id: result.courseId,
    module_id: result.moduleId,
    title: result.title,
    type: result.type,
    status: result.status,
    provider: result.provider,
    match: result.kind,
    snippet: result.snippet,
    start_ms: result.startMs,
    start: result.start,
    link: result.link,
  };
}
