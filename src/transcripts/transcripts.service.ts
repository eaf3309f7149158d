import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { SearchRepository } from '../db/repositories/search.repository.ts';
import type { ArtifactRow, ItemRow, MediaSourceRow } from '../db/schema.ts';
import { canHaveTranscript, fetchableSources, isUpload, statusAfterTranscript } from '../items/item-state.ts';
import { itemErrors } from '../items/items.errors.ts';
import { transcriptRows } from '../search/search.documents.ts';
import { type CommitGuard, checkCurrent } from '../shared/commit-guard.ts';
import { type AppError, describeError, isAppError } from '../shared/errors.ts';
import { sha256 } from '../shared/hash.ts';
import type { Logger } from '../shared/logger.ts';
import { cuesKey, type FileStore, transcriptKey, writeAllThenRecord } from '../storage/file-store.ts';
import type { TranscriptProviders } from './providers.registry.ts';
import {
  type RenderedSection,
  type RenderedTranscript,
  renderSection,
  renderTranscript,
} from './transcript.render.ts';
import { isProviderName, type MediaRef, type ProviderName } from './transcript-provider.ts';
import { sourcesHash, transcriptIsCurrent, transcriptSourceHash } from './transcript-sources.ts';
import { transcriptErrors } from './transcripts.errors.ts';
import { parseUploadedTranscript } from './upload.parser.ts';

export interface StoredTranscript {
  text: string;
  artifact: ArtifactRow;
}

export type TranscriptsService = ReturnType<typeof createTranscriptsService>;

const toRef = (source: MediaSourceRow & { provider: ProviderName }): MediaRef => ({
  provider: source.provider,
  ref: source.ref,
  url: source.url,
  foundIn: source.foundIn as MediaRef['foundIn'],
  details: source.details,
  title: source.title,
});

/**
 * Fetch each source → render → store the text and the cues → record the artifacts, the
 * sources' outcomes and the item's status, in one transaction after the files are staged.
 */
export function createTranscriptsService(deps: {
  db: Db;
  items: ItemsRepository;
  mediaSources: MediaSourcesRepository;
  artifacts: ArtifactsRepository;
  search: Pick<SearchRepository, 'replaceContent'>;
  files: FileStore;
  providers: TranscriptProviders;
  logger: Logger;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger.child({ module: 'transcripts' });

  /**
   * The stored transcript, or null when there is none, its file is gone or no longer matches
   * its record (a crash between writing and recording), or it came from other sources.
   */
  const readStored = async (item: ItemRow, sources: MediaSourceRow[]): Promise<StoredTranscript | null> => {
    const artifact = deps.artifacts.find(item.id, 'transcript');
    if (!artifact || !transcriptIsCurrent(artifact, item, sources)) return null;
    const text = await deps.files.read(artifact.path);
    if (text === null || sha256(text) !== artifact.contentHash) return null;
    return { text, artifact };
  };

  const noSource = (item: ItemRow) =>
    transcriptErrors.noSource(
      // A link that points at a recording host but names no recording says why (sync set it).
      item.errorCode && item.error && item.status === 'DISCOVERED' ? { message: item.error } : {},
    );

  /** The stored transcript is current after all (the sync's change was undone): say so. */
  const markReady = (item: ItemRow, options: { signal?: AbortSignal; assertCurrent?: CommitGuard }) => {
    deps.db.transaction((tx) => {
      checkCurrent(tx, options);
      const current = deps.items.get(item.id, tx);
      if (current?.status !== 'DISCOVERED') return;
      deps.items.setStatus(
        tx,
        item.id,
        { status: statusAfterTranscript('DISCOVERED', { sameText: true }) },
        now(),
      );
    });
  };

  /** Records sources' outcomes; used when nothing could be stored, so the failure is visible. */
  const recordFailures = (
    failures: ReadonlyArray<{ source: MediaSourceRow; error: AppError }>,
    options: { signal?: AbortSignal; assertCurrent?: CommitGuard },
  ) => {
    const at = now();
    deps.db.transaction((tx) => {
      checkCurrent(tx, options);
      for (const { source, error } of failures) {
        deps.mediaSources.setStatus(tx, source.id, { status: 'failed', ...codeOf(error) }, at);
      }
    });
  };

  /**
   * Stages both files, then records everything in one transaction: no row ever points at a
   * missing or half-written file. `expectedSources` guards against a sync (or an upload) that
   * changed the item's sources meanwhile.
   */
  const store = async (
    item: ItemRow,
    rendered: RenderedTranscript,
    expectedSources: string,
    outcomes: { ok: MediaSourceRow[]; failed: ReadonlyArray<{ source: MediaSourceRow; error: AppError }> },
    options: { signal?: AbortSignal; assertCurrent?: CommitGuard; upload?: Record<string, string> },
  ): Promise<StoredTranscript> => {
    const textKey = transcriptKey(item.id);
    const jsonKey = cuesKey(item.id);
    const contentHash = sha256(rendered.text);
    const previous = deps.artifacts.find(item.id, 'transcript');
    checkCurrent(deps.db, options);
    const artifact = await writeAllThenRecord(
      deps.files,
      // The cues first: a crash between the two renames leaves cues that name a text not in
      // place (they record its hash), never a new text under an old record.
      [
        { key: jsonKey, content: rendered.json },
        { key: textKey, content: rendered.text },
      ],
      (publish) =>
        deps.db.transaction((tx) => {
          checkCurrent(tx, options);
          const current = deps.items.get(item.id, tx);
          if (!current) throw itemErrors.notFound({ message: `Item ${item.id} is gone from the cache.` });
          const at = now();
          if (options.upload) {
            deps.mediaSources.putUpload(tx, item.id, options.upload, at);
          } else if (sourcesHash(deps.mediaSources.listForItem(item.id, tx)) !== expectedSources) {
            // These words are of recordings the item no longer holds.
            throw transcriptErrors.sourceChanged();
          }
          const sources = deps.mediaSources.listForItem(item.id, tx);
          const base = { itemId: item.id, model: null, promptTokens: null, completionTokens: null };
          const row = deps.artifacts.put(
            tx,
            {
              ...base,
              kind: 'transcript',
              path: textKey,
              contentHash,
              sourceHash: transcriptSourceHash(sources),
              bytes: Buffer.byteLength(rendered.text),
            },
            at,
          );
          deps.artifacts.put(
            tx,
            {
              ...base,
              kind: 'cues',
              path: jsonKey,
              contentHash: sha256(rendered.json),
              sourceHash: contentHash,
              bytes: Buffer.byteLength(rendered.json),
            },
            at,
          );
          deps.search.replaceContent(tx, item.id, 'transcript', transcriptRows(rendered.sections));
          for (const source of outcomes.ok)
            deps.mediaSources.setStatus(tx, source.id, { status: 'ready' }, at);
          for (const { source, error } of outcomes.failed) {
            deps.mediaSources.setStatus(tx, source.id, { status: 'failed', ...codeOf(error) }, at);
          }
          const first = sources[0];
          deps.items.setDiscovery(
            tx,
            item.id,
            { provider: first?.provider ?? null, mediaUrl: first?.url ?? null },
            at,
          );
          deps.items.setStatus(
            tx,
            item.id,
            {
              status: statusAfterTranscript(current.status, {
                sameText: previous?.contentHash === contentHash,
              }),
            },
            at,
          );
          publish();
          return row;
        }),
    );
    return { text: rendered.text, artifact };
  };

  return {
    /** Throws `transcript.no_source` unless the item holds something a transcript can come from. */
    assertFetchable(item: ItemRow, sources = deps.mediaSources.listForItem(item.id)): void {
      if (!canHaveTranscript(sources)) throw noSource(item);
    },

    /**
     * Returns the stored transcript, fetching it first when there is none (or when forced). Each
     * source is fetched in turn; the ones that answer make the transcript, and the ones that
     * fail keep their error on their own record. Only when none answers does the fetch fail,
     * with a transient error if any was transient (a retry may then get them all).
     */
    async ensure(
      item: ItemRow,
      options: { force?: boolean; signal?: AbortSignal; assertCurrent?: CommitGuard },
    ): Promise<StoredTranscript> {
      const sources = deps.mediaSources.listForItem(item.id);
      const stored = await readStored(item, sources);
      // An upload cannot be fetched again: what the user gave is the transcript.
      if (stored && (!options.force || sources.some(isUpload))) {
        if (item.status === 'DISCOVERED') markReady(item, options);
        return stored;
      }
      if (sources.some(isUpload)) {
        throw transcriptErrors.fileMissing({
          message: 'The uploaded transcript is missing from the data folder; upload it again.',
        });
      }
      const fetchable = fetchableSources(sources).filter(
        (source): source is MediaSourceRow & { provider: ProviderName } => isProviderName(source.provider),
      );
      if (fetchable.length === 0) throw noSource(item);

      const ok: RenderedSection[] = [];
      const okSources: MediaSourceRow[] = [];
      const failed: { source: MediaSourceRow; error: AppError }[] = [];
      for (const source of fetchable) {
        options.signal?.throwIfAborted();
        try {
          const fetched = await deps.providers
            .get(source.provider)
            .fetch(toRef(source), { signal: options.signal, courseId: item.courseId });
          ok.push(renderSection({ source, fetched }));
          okSources.push(source);
        } catch (error) {
          if (options.signal?.aborted || !isAppError(error)) throw error;
          logger.info({ itemId: item.id, provider: source.provider, code: error.code }, 'a source failed');
          failed.push({ source, error });
        }
      }
      if (ok.length === 0) {
        const reported = failed.find(({ error }) => error.transient) ?? failed[0];
        recordFailures(failed, options);
        throw reported?.error ?? noSource(item);
      }
      const rendered = renderTranscript(item.id, ok);
      const result = await store(item, rendered, sourcesHash(sources), { ok: okSources, failed }, options);
      logger.info(
        { itemId: item.id, sources: ok.length, failed: failed.length, bytes: result.artifact.bytes },
        'transcript stored',
      );
      return result;
    },

    /**
     * Stores a transcript the user gave (`PUT /items/{id}/transcript`: WebVTT, SRT or plain
     * text). It becomes the item's first source, and the item TRANSCRIPT_READY. A body that
     * cannot be read is refused before anything is written.
     */
    async upload(itemId: number, body: string, contentType: string | undefined): Promise<StoredTranscript> {
      const item = deps.items.get(itemId);
      if (!item)
        throw itemErrors.notFound({
          message: `No item ${itemId}. Refresh its course to sync it from Canvas.`,
        });
      const { section, format } = parseUploadedTranscript(body, contentType);
      const rendered = renderTranscript(item.id, [section]);
      const result = await store(item, rendered, '', { ok: [], failed: [] }, { upload: { format } });
      logger.info({ itemId: item.id, format, bytes: result.artifact.bytes }, 'uploaded transcript stored');
      return result;
    },
  };
}

function codeOf(error: AppError): { errorCode: string; error: string } {
  const { code, message } = describeError(error);
  return { errorCode: code, error: message };
}
