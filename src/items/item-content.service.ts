import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { ArtifactKind, ArtifactRow, ItemRow } from '../db/schema.ts';
import { sha256 } from '../shared/hash.ts';
import type { FileStore } from '../storage/file-store.ts';
import { summaryErrors } from '../summarize/summaries.errors.ts';
import { readOwnCues } from '../transcripts/cues-file.ts';
import { transcriptErrors } from '../transcripts/transcripts.errors.ts';
import { itemErrors } from './items.errors.ts';
import {
  parseTranscriptSegments,
  type SegmentSource,
  type SourcedSegment,
  segmentsFromCues,
  type TimedSource,
} from './transcript-segments.ts';

const ERRORS: Record<
  ArtifactKind,
  { notReady: typeof transcriptErrors.notReady; fileMissing: typeof transcriptErrors.fileMissing }
> = {
  transcript: transcriptErrors,
  cues: transcriptErrors,
  summary: summaryErrors,
};

export interface ItemContent {
  item: ItemRow;
  artifact: ArtifactRow;
  text: string;
}

/** A segment with the recording's URL at its moment; `null` where the host has no such links. */
export interface LinkedSegment extends SourcedSegment {
  link: string | null;
}

export interface TranscriptWithSegments extends ItemContent {
  /** One per paragraph, timed from its `[hh:mm:ss]` marker when it has one. */
  segments: LinkedSegment[];
  /** The recordings and readings of the cues file, which `source` indexes; empty without one. */
  sources: SegmentSource[];
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
  /** How a time opens the recording at that moment (providers.registry.ts `linkerFor`). */
  timeLinks?: (source: TimedSource) => ((seconds: number) => string | null) | null;
}) {
  const getItem = (id: number): ItemRow => {
    const item = deps.items.get(id);
    if (!item)
      throw itemErrors.notFound({ message: `No item ${id}. Refresh its course to sync it from Canvas.` });
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

    /**
     * The transcript with its timed segments (for `Accept: application/json`), taken from the
     * cues file written beside it. Transcripts stored before cues files existed have none; their
     * segments are read from the text's markers.
     */
    async transcriptSegments(itemId: number): Promise<TranscriptWithSegments> {
      const content = await read(itemId, 'transcript');
      // A text edited since has no cues (cues-file.ts).
      const json = await readOwnCues(deps, itemId, sha256(content.text));
      const cues = json === null ? null : segmentsFromCues(json);
      // Transcripts without a cues file name no recording, so their times link nowhere.
      const linkAt = cues?.timedSource ? (deps.timeLinks?.(cues.timedSource) ?? null) : null;
      // Without cues the text is one section, `source` 0: transcripts stored before cues files
      // existed came from one recording each (a text edited since keeps its headings as text).
      const sourced =
        cues?.segments ?? parseTranscriptSegments(content.text).map((s) => ({ ...s, source: 0 }));
      const segments = sourced.map((segment) => ({
        ...segment,
        // Whole seconds, as the notes' times and the `[hh:mm:ss]` markers are.
        link: linkAt && segment.startMs !== null ? linkAt(Math.floor(segment.startMs / 1000)) : null,
      }));
      return { ...content, segments, sources: cues?.sources ?? [] };
    },

    summary: (itemId: number) => read(itemId, 'summary'),

    /** The item's artifact records, oldest first; empty when it has none. */
    listForItem(itemId: number): ArtifactRow[] {
      getItem(itemId);
      return deps.artifacts.listForItem(itemId);
    },

    getArtifact(id: number): ArtifactRow {
      const artifact = deps.artifacts.get(id);
      if (!artifact) throw itemErrors.artifactNotFound({ message: `No artifact ${id}.` });
      return artifact;
    },
  };
}
