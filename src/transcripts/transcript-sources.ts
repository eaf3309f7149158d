/**
 * What a stored transcript was made from, and whether that is still what the item holds. Used
 * by the fetch (to reuse what is current) and by the sync (to leave an item ready when the
 * recordings it found are the ones its transcript came from).
 */

import { sourceKey } from '../db/repositories/media-sources.repository.ts';
import type { ArtifactRow, ItemRow, MediaSourceRow } from '../db/schema.ts';
import { isUpload } from '../items/item-state.ts';
import { sha256 } from '../shared/hash.ts';

type SourceKeyFields = Pick<MediaSourceRow, 'provider' | 'ref'>;

/** The item's sources, in order, as one hash. */
export const sourcesHash = (sources: readonly SourceKeyFields[]) =>
  sha256(JSON.stringify(sources.map(sourceKey)));

/** What a transcript of these sources records: an upload stands for itself, whatever else is found. */
export function transcriptSourceHash(sources: readonly SourceKeyFields[]): string {
  const upload = sources.find(isUpload);
  return sourcesHash(upload ? [upload] : sources);
}

/**
 * Whether the transcript was made from the item's current sources. Transcripts stored before
 * media sources existed recorded the hash of the item's one recording URL instead.
 */
export function transcriptIsCurrent(
  artifact: Pick<ArtifactRow, 'sourceHash'>,
  item: Pick<ItemRow, 'mediaUrl'>,
  sources: readonly MediaSourceRow[],
): boolean {
  if (artifact.sourceHash === transcriptSourceHash(sources)) return true;
  const [only, ...rest] = sources;
  return (
    rest.length === 0 &&
    only?.url != null &&
    only.url === item.mediaUrl &&
    artifact.sourceHash === sha256(only.url)
  );
}
