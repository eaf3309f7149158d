import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { ArtifactKind, ArtifactRow, ItemRow } from '../db/schema.ts';
import { createErrorFactory } from '../shared/errors.ts';
import type { FileStore } from '../storage/file-store.ts';
import { transcriptFileMissing } from '../transcripts/transcripts.service.ts';
import { itemNotFound } from './items.service.ts';
import { parseTranscriptSegments, type TranscriptSegment } from './transcript-segments.ts';

export const transcriptNotReady = createErrorFactory({
  code: 'transcript.not_ready',
  statusCode: 404,
  message: 'This item has no transcript yet; POST /items/{id}/fetch-transcript fetches it.',
});

export const summaryNotReady = createErrorFactory({
  code: 'summary.not_ready',
  statusCode: 404,
  message: 'This item has no notes yet; POST /items/{id}/summarize writes them.',
});

export const summaryFileMissing = createErrorFactory({
  code: 'summary.file_missing',
  statusCode: 409,
  message: 'The notes file is missing from the data folder; summarize the item again.',
});

export const artifactNotFound = createErrorFactory({
  code: 'artifact.not_found',
  statusCode: 404,
  message: 'No such artifact.',
});

const ERRORS: Record<
  ArtifactKind,
  { notReady: typeof transcriptNotReady; fileMissing: typeof summaryFileMissing }
> = {
  transcript: { notReady: transcriptNotReady, fileMissing: transcriptFileMissing },
  summary: { notReady: summaryNotReady, fileMissing: summaryFileMissing },
};

export interface ItemContent {
  item: ItemRow;
  artifact: ArtifactRow;
  text: string;
}

export interface TranscriptWithSegments extends ItemContent {
  /** One per paragraph, timed from its `[hh:mm:ss]` marker when it has one. */
  segments: TranscriptSegment[];
}

export type ItemContentService = ReturnType<typeof createItemContentService>;

/**
 * Reads what the jobs wrote: transcripts, notes and the records of both. A record whose file
 * is gone (deleted by hand, a restored backup) is a conflict the user resolves by fetching or
 * summarizing again (409 `*.file_missing`), not a 404 (nothing was ever made) or a 500.
 */
export function createItemContentService(deps: {
  items: ItemsRepository;
  artifacts: ArtifactsRepository;
  files: FileStore;
}) {
  const getItem = (id: number): ItemRow => {
    const item = deps.items.get(id);
    if (!item) throw itemNotFound({ message: `No item ${id}. Refresh its course to sync it from Canvas.` });
    return item;
  };

  const read = async (itemId: number, kind: ArtifactKind): Promise<ItemContent> => {
    const item = getItem(itemId);
    const artifact = deps.artifacts.find(itemId, kind);
    if (!artifact) throw ERRORS[kind].notReady();
    const text = await deps.files.read(artifact.path);
    if (text === null) throw ERRORS[kind].fileMissing();
    return { item, artifact, text };
  };

  return {
    transcript: (itemId: number) => read(itemId, 'transcript'),

    /** The transcript, also split into timed segments (for `Accept: application/json`). */
    async transcriptSegments(itemId: number): Promise<TranscriptWithSegments> {
      const content = await read(itemId, 'transcript');
      return { ...content, segments: parseTranscriptSegments(content.text) };
    },

    summary: (itemId: number) => read(itemId, 'summary'),

    /** The item's artifact records, oldest first; empty when it has none. */
    listForItem(itemId: number): ArtifactRow[] {
      getItem(itemId);
      return deps.artifacts.listForItem(itemId);
    },

    getArtifact(id: number): ArtifactRow {
      const artifact = deps.artifacts.get(id);
      if (!artifact) throw artifactNotFound({ message: `No artifact ${id}.` });
      return artifact;
    },
  };
}
