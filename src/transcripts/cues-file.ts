import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import { sha256 } from '../shared/hash.ts';
import type { FileStore } from '../storage/file-store.ts';

/**
 * The cues file of an item's transcript, when the file on disk is the one recorded with that
 * text: its record names the text it was written with (`source_hash`), and the file's own bytes
 * must be the ones recorded (`content_hash`). The second check matters after a crash between
 * moving a new transcript's files into place and recording them: the new cues may then sit
 * under the old records beside the old text, and their times and sections belong to another
 * text. Anything else (no record, an edited text, a foreign file) is `null`, and callers read
 * the text's own markers instead.
 */
export async function readOwnCues(
  deps: { artifacts: Pick<ArtifactsRepository, 'find'>; files: Pick<FileStore, 'read'> },
  itemId: number,
  textHash: string,
): Promise<string | null> {
  const record = deps.artifacts.find(itemId, 'cues');
  if (!record || record.sourceHash !== textHash) return null;
  const json = await deps.files.read(record.path);
  return json !== null && sha256(json) === record.contentHash ? json : null;
}
