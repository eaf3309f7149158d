import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { ArtifactRow, ItemRow } from '../db/schema.ts';
import { sha256 } from '../shared/hash.ts';
import type { Logger } from '../shared/logger.ts';
import { type FileStore, summaryKey, writeThenRecord } from '../storage/file-store.ts';
import { transcriptErrors } from '../transcripts/transcripts.errors.ts';
import {
  type CommitGuard,
  checkCurrent,
  type TranscriptsService,
} from '../transcripts/transcripts.service.ts';
import type { SummarizeProgress, Summarizer } from './summarizer.ts';

export type SummariesService = ReturnType<typeof createSummariesService>;

/**
 * Transcript → notes. A summary records the hash of the transcript and summarizer settings it
 * was made from, so asking again with nothing changed reuses it instead of calling the LLM.
 */
export function createSummariesService(deps: {
  db: Db;
  items: ItemsRepository;
  artifacts: ArtifactsRepository;
  files: FileStore;
  summarizer: Summarizer;
  transcripts: TranscriptsService;
  logger: Logger;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /**
   * Only the file's presence is checked, not its hash: notes a user edited by hand must not be
   * regenerated behind their back, and files are never half-written (see writeThenRecord).
   */
  const isPresent = async (artifact: ArtifactRow) => (await deps.files.read(artifact.path)) !== null;

  return {
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
      const sourceHash = sha256(`${transcript.artifact.contentHash}\n${deps.summarizer.settingsKey}`);
      const existing = deps.artifacts.find(item.id, 'summary');
      if (!options.force && existing?.sourceHash === sourceHash && (await isPresent(existing))) {
        deps.db.transaction((tx) => deps.items.setStatus(tx, item.id, { status: 'SUMMARY_READY' }, now()));
        return { artifact: existing, reused: true };
      }
      const result = await deps.summarizer.summarize(
        { title: item.title, transcript: transcript.text },
        { signal: options.signal, onProgress: options.onProgress },
      );
      const key = summaryKey(item.id);
      // Servers differ on trailing whitespace; a text file ends with exactly one newline.
      const markdown = `${result.text.trimEnd()}\n`;
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
              bytes: Buffer.byteLength(markdown),
            },
            at,
          );
          deps.items.setStatus(tx, item.id, { status: 'SUMMARY_READY' }, at);
          publish();
          return row;
        }),
      );
      deps.logger.info(
        { module: 'summaries', itemId: item.id, model: result.model, bytes: artifact.bytes },
        'summary stored',
      );
      return { artifact, reused: false };
    },
  };
}
