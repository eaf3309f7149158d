/**
 * Data folders from before the search index hold transcripts and notes it has no rows for (the
 * migration could index titles, which are in the database, but not files). At start-up, each
 * such file is read and indexed. Idempotent: items that have rows of that kind are left alone,
 * and a file replaced while it was being read is indexed by its own transaction instead.
 */

import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ContentKind, SearchRepository } from '../db/repositories/search.repository.ts';
import type { ArtifactRow } from '../db/schema.ts';
import { parseTranscriptSegments } from '../items/transcript-segments.ts';
import type { Logger } from '../shared/logger.ts';
import type { FileStore } from '../storage/file-store.ts';
import { readCuesDocument } from '../transcripts/cues-document.ts';
import { readOwnCues } from '../transcripts/cues-file.ts';
import { notesRows, paragraphRows, type SearchRowInput } from './search.documents.ts';

export interface BackfillCounts {
  transcripts: number;
  notes: number;
}

export function createSearchBackfill(deps: {
  db: Db;
  search: SearchRepository;
  artifacts: Pick<ArtifactsRepository, 'find'>;
  files: FileStore;
  logger: Logger;
}) {
  const logger = deps.logger.child({ module: 'search' });

  /** The paragraphs of the cues file written with this text, else the text's own markers. */
  const transcriptOf = async (artifact: ArtifactRow, text: string): Promise<SearchRowInput[]> => {
    const json = await readOwnCues(deps, artifact.itemId, artifact.contentHash);
    const document = json === null ? null : readCuesDocument(json);
    if (!document) return paragraphRows(parseTranscriptSegments(text));
    return paragraphRows(
      document.sources.flatMap((source) =>
        source.paragraphs.map((p) => ({ startMs: source.timed ? p.start_ms : null, text: p.text })),
      ),
    );
  };

  const kinds = [
    { artifactKind: 'transcript', kind: 'transcript', rowsOf: transcriptOf },
    {
      artifactKind: 'summary',
      kind: 'notes',
      rowsOf: async (_: ArtifactRow, text: string) => notesRows(text),
    },
  ] as const satisfies ReadonlyArray<{
    artifactKind: 'transcript' | 'summary';
    kind: ContentKind;
    rowsOf: (artifact: ArtifactRow, text: string) => Promise<SearchRowInput[]>;
  }>;

  /** Indexes the file as it is (notes may have been edited by hand); a missing one is skipped. */
  const indexOne = async (itemId: number, kind: (typeof kinds)[number]): Promise<boolean> => {
    const artifact = deps.artifacts.find(itemId, kind.artifactKind);
    const text = artifact ? await deps.files.read(artifact.path) : null;
    if (!artifact || text === null) return false;
    const rows = await kind.rowsOf(artifact, text);
    return deps.db.transaction((tx) => {
      const current = deps.artifacts.find(itemId, kind.artifactKind, tx);
      const unchanged =
        current?.contentHash === artifact.contentHash &&
        current.createdAt.getTime() === artifact.createdAt.getTime();
      if (!unchanged || deps.search.hasContent(itemId, kind.kind, tx)) return false;
      deps.search.replaceContent(tx, itemId, kind.kind, rows);
      return true;
    });
  };

  return async (): Promise<BackfillCounts> => {
    const counts: BackfillCounts = { transcripts: 0, notes: 0 };
    for (const kind of kinds) {
      for (const itemId of deps.search.unindexed(kind.artifactKind, kind.kind)) {
        try {
          if (!(await indexOne(itemId, kind))) continue;
        } catch (error) {
          // Search is not worth failing a start over: the next start tries again.
          logger.warn({ err: error, itemId, kind: kind.kind }, 'could not index a file for search');
          continue;
        }
        if (kind.kind === 'transcript') counts.transcripts += 1;
        else counts.notes += 1;
      }
    }
    if (counts.transcripts + counts.notes > 0) {
      logger.info(counts, 'transcripts and notes from an older data folder indexed for search');
    }
    return counts;
  };
}
