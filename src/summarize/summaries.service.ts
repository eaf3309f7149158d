import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { SearchRepository } from '../db/repositories/search.repository.ts';
import type { ArtifactRow, ItemRow } from '../db/schema.ts';
import { notesRows } from '../search/search.documents.ts';
import { type CommitGuard, checkCurrent } from '../shared/commit-guard.ts';
import { sha256 } from '../shared/hash.ts';
import type { Logger } from '../shared/logger.ts';
import { type FileStore, summaryKey, writeThenRecord } from '../storage/file-store.ts';
import { readOwnCues } from '../transcripts/cues-file.ts';
import { transcriptErrors } from '../transcripts/transcripts.errors.ts';
import type { TranscriptsService } from '../transcripts/transcripts.service.ts';
import { withTitle } from './notes.format.ts';
import { checkTimes } from './notes.times.ts';
import {
  type NotesDocument,
  type NotesSourceRef,
  notesFromCues,
  notesFromText,
  type TimeLinker,
} from './notes-input.ts';
import type { SummarizeProgress, Summarizer } from './summarizer.ts';

/**
 * Part of every summary's source hash beside the summarizer's settings: bump it when what
 * happens to notes after the summarizer (the time check, the links) changes.
 */
const FINISHING_VERSION = 'times-v2';

export type SummariesService = ReturnType<typeof createSummariesService>;

/**
 * Transcript → notes. A summary records the hash of the transcript and summarizer settings it
 * was made from, so asking again with nothing changed reuses it instead of calling the LLM.
 */
export function createSummariesService(deps: {
  db: Db;
  items: ItemsRepository;
  artifacts: ArtifactsRepository;
  search: Pick<SearchRepository, 'replaceContent'>;
  files: FileStore;
  summarizer: Summarizer;
  transcripts: TranscriptsService;
  /** How a time in the notes opens the recording at that moment (providers.registry.ts). */
  timeLinks?: (source: NotesSourceRef) => TimeLinker | null;
  logger: Logger;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /** The cues file when it is the transcript's own, else the text's markers (older transcripts). */
  const readDocument = async (item: ItemRow, text: string): Promise<NotesDocument> => {
    const json = await readOwnCues(deps, item.id, sha256(text));
    return (
      (json === null ? null : notesFromCues(item.title, json)) ?? {
        input: notesFromText(item.title, text),
        source: null,
      }
    );
  };

  /**
   * Only the file's presence is checked, not its hash: notes a user edited by hand must not be
   * regenerated behind their back, and files are never half-written (see writeThenRecord).
   */
  const isPresent = async (artifact: ArtifactRow) => (await deps.files.read(artifact.path)) !== null;

  /** What a summary of this transcript, made with today's settings, records as its source. */
  const sourceHashOf = (transcript: Pick<ArtifactRow, 'contentHash'>) =>
    sha256(`${transcript.contentHash}\n${deps.summarizer.settingsKey}\n${FINISHING_VERSION}`);

  return {
    /**
     * Whether stored notes are of this transcript with the current summarizer settings (model,
     * prompt version, budgets, language): bulk actions redo the others without `force`.
     */
    isCurrent(summary: ArtifactRow, transcript: ArtifactRow): boolean {
      return summary.sourceHash === sourceHashOf(transcript);
    },

    async summarize(
      item: ItemRow,
      options: {
        force?: boolean;
        signal?: AbortSignal;
        onProgress?: (progress: SummarizeProgress) => void;
        assertCurrent?: CommitGuard;
      },
    ): Promise<{ artifact: ArtifactRow; reused: boolean }> {
      const transcript = await deps.transcripts.ensure(item, {
        signal: options.signal,
        assertCurrent: options.assertCurrent,
      });
      const sourceHash = sourceHashOf(transcript.artifact);
      const existing = deps.artifacts.find(item.id, 'summary');
      if (!options.force && existing?.sourceHash === sourceHash && (await isPresent(existing))) {
        deps.db.transaction((tx) => deps.items.setStatus(tx, item.id, { status: 'SUMMARY_READY' }, now()));
        return { artifact: existing, reused: true };
      }
      const document = await readDocument(item, transcript.text);
      const started = performance.now();
      const result = await deps.summarizer.summarize(document.input, {
        signal: options.signal,
        onProgress: options.onProgress,
      });
      const wallMs = Math.round(performance.now() - started);
      const link = document.source ? (deps.timeLinks?.(document.source) ?? null) : null;
      const times = checkTimes(result.text, document.input.range, link);
      const key = summaryKey(item.id);
      // Servers differ on trailing whitespace; a text file ends with exactly one newline.
      const markdown = `${withTitle(times.markdown, item.title).trimEnd()}\n`;
      checkCurrent(deps.db, options);
      const artifact = await writeThenRecord(deps.files, key, markdown, (publish) =>
        deps.db.transaction((tx) => {
          checkCurrent(tx, options);
          // An upload or a sync that changed the recordings while the model wrote: these notes
          // are of a transcript the item no longer holds. Transient: the retry uses the new one.
          const held = deps.artifacts.find(item.id, 'transcript', tx);
          if (
            held?.contentHash !== transcript.artifact.contentHash ||
            deps.items.get(item.id, tx)?.status === 'DISCOVERED'
          ) {
            throw transcriptErrors.sourceChanged({
              message:
                "The item's transcript changed while its notes were being written; they will be written again.",
            });
          }
          const at = now();
          const row = deps.artifacts.put(
            tx,
            {
              itemId: item.id,
              kind: 'summary',
              path: key,
              contentHash: sha256(markdown),
              sourceHash,
              model: result.model,
              promptTokens: result.usage?.prompt_tokens ?? null,
              completionTokens: result.usage?.completion_tokens ?? null,
              details: {
                summarizer: deps.summarizer.name,
                promptVersion: result.promptVersion,
                parts: result.parts,
                calls: result.calls,
                wallMs,
                leftOut: result.leftOut,
                timesDropped: times.dropped,
              },
              bytes: Buffer.byteLength(markdown),
            },
            at,
          );
          deps.search.replaceContent(tx, item.id, 'notes', notesRows(markdown));
          deps.items.setStatus(tx, item.id, { status: 'SUMMARY_READY' }, at);
          publish();
          return row;
        }),
      );
      deps.logger.info(
        {
          module: 'summaries',
          itemId: item.id,
          model: result.model,
          parts: result.parts,
          leftOut: result.leftOut.length,
          timesDropped: times.dropped,
          wallMs,
          bytes: artifact.bytes,
        },
        'summary stored',
      );
      return { artifact, reused: false };
    },
  };
}
