import type { Db, DbOrTx } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { ArtifactRow, ItemRow } from '../db/schema.ts';
import { itemNotFound } from '../items/items.service.ts';
import { createErrorFactory } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import type { Logger } from '../shared/logger.ts';
import { type FileStore, transcriptKey, writeThenRecord } from '../storage/file-store.ts';
import { PROVIDER_NAMES, type ProviderName, type TranscriptProvider } from './transcript-provider.ts';

export const noTranscriptSource = createErrorFactory({
  code: 'transcript.no_source',
  statusCode: 422,
  message: 'This item links to no recording that canvas-notes knows how to fetch a transcript from.',
});

/** Transient: the job's next attempt fetches from the new link. */
export const sourceChanged = createErrorFactory({
  code: 'transcript.source_changed',
  statusCode: 409,
  message:
    "The item's recording link changed while its transcript was being fetched; it will be fetched again.",
  transient: true,
});

export const transcriptFileMissing = createErrorFactory({
  code: 'transcript.file_missing',
  statusCode: 409,
  message: 'The transcript file is missing from the data folder; fetch the transcript again.',
});

/**
 * Throws when the caller (a job attempt) may no longer record its result: aborted, or its job
 * was taken over. Run before writing the file and again inside the recording transaction.
 */
export type CommitGuard = (tx: DbOrTx) => void;

export function checkCurrent(
  tx: DbOrTx,
  options: { signal?: AbortSignal; assertCurrent?: CommitGuard },
): void {
  options.signal?.throwIfAborted();
  options.assertCurrent?.(tx);
}

export interface StoredTranscript {
  text: string;
  artifact: ArtifactRow;
}

export type TranscriptsService = ReturnType<typeof createTranscriptsService>;

const isProviderName = (name: string | null): name is ProviderName =>
  name !== null && (PROVIDER_NAMES as readonly string[]).includes(name);

/** Fetch → normalise → store the file → record the artifact and the item's status. */
export function createTranscriptsService(deps: {
  db: Db;
  items: ItemsRepository;
  artifacts: ArtifactsRepository;
  files: FileStore;
  providers: (name: ProviderName) => TranscriptProvider;
  logger: Logger;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /**
   * The stored transcript, or null when there is none, its file is gone or no longer matches
   * its record (a crash between writing and recording), or it came from another recording.
   */
  const readStored = async (item: ItemRow): Promise<StoredTranscript | null> => {
    const artifact = deps.artifacts.find(item.id, 'transcript');
    if (!artifact) return null;
    if (item.mediaUrl && artifact.sourceHash !== sha256(item.mediaUrl)) return null;
    const text = await deps.files.read(artifact.path);
    if (text === null || sha256(text) !== artifact.contentHash) return null;
    return { text, artifact };
  };

  return {
    /** Throws unless the item has a recording we can fetch from. */
    assertFetchable(item: ItemRow): void {
      if (!isProviderName(item.provider) || !item.mediaUrl) throw noTranscriptSource();
    },

    /**
     * Returns the stored transcript, fetching it first when there is none (or when forced).
     * The file is written atomically before its row commits, so no row ever points at a
     * missing or half-written file.
     */
    async ensure(
      item: ItemRow,
      options: { force?: boolean; signal?: AbortSignal; assertCurrent?: CommitGuard },
    ): Promise<StoredTranscript> {
      if (!options.force) {
        const stored = await readStored(item);
        if (stored) return stored;
      }
      if (!isProviderName(item.provider) || !item.mediaUrl) throw noTranscriptSource();
      const provider = deps.providers(item.provider);
      const transcript = await provider.fetchTranscript(
        { provider: item.provider, url: item.mediaUrl },
        { signal: options.signal },
      );
      const key = transcriptKey(item.id);
      const contentHash = sha256(transcript.text);
      const previous = deps.artifacts.find(item.id, 'transcript');
      checkCurrent(deps.db, options);
      const artifact = await writeThenRecord(deps.files, key, transcript.text, (publish) =>
        deps.db.transaction((tx) => {
          checkCurrent(tx, options);
          const current = deps.items.get(item.id, tx);
          if (!current) throw itemNotFound({ message: `Item ${item.id} is gone from the cache.` });
          // A refresh changed the link while we fetched: these captions are of another recording.
          if (current.mediaUrl !== item.mediaUrl) throw sourceChanged();
          const at = now();
          const row = deps.artifacts.put(
            tx,
            {
              itemId: item.id,
              kind: 'transcript',
              path: key,
              contentHash,
              sourceHash: sha256(item.mediaUrl ?? ''),
              model: null,
              promptTokens: null,
              completionTokens: null,
              bytes: Buffer.byteLength(transcript.text),
            },
            at,
          );
          // A summary made from this very text stays current; any other change needs new notes.
          const keepSummary = current?.status === 'SUMMARY_READY' && previous?.contentHash === contentHash;
          deps.items.setStatus(
            tx,
            item.id,
            { status: keepSummary ? 'SUMMARY_READY' : 'TRANSCRIPT_READY' },
            at,
          );
          publish();
          return row;
        }),
      );
      deps.logger.info(
        { module: 'transcripts', itemId: item.id, provider: item.provider, bytes: artifact.bytes },
        'transcript stored',
      );
      return { text: transcript.text, artifact };
    },
  };
}
