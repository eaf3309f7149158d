import type { DbOrTx } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { ArtifactRow, ItemRow, MediaSourceRow } from '../db/schema.ts';
import { statusAfterSourcesChanged } from '../items/item-state.ts';
import { groupByItem } from '../shared/group-by-item.ts';
import { transcriptIsCurrent } from '../transcripts/transcript-sources.ts';
import type { Discovery } from './content-discovery.ts';

/** The sync's writes of what content discovery found, inside the refresh's transaction. */
export function createDiscoveryWrites(deps: {
  items: ItemsRepository;
  mediaSources: MediaSourcesRepository;
  artifacts: ArtifactsRepository;
}) {
  /**
   * Records what discovery found for these items, just written: their sources, the first one's
   * provider and URL on the item, and, when the recordings changed, the status that leaves
   * (stale files are not current). A link that names no recording says why on the item. What
   * this weighs is read for all the items at once, not item by item.
   */
  const applyDiscoveries = (tx: DbOrTx, itemIds: number[], found: Map<number, Discovery>, at: Date) => {
    const read: number[] = [];
    for (const itemId of itemIds) {
      const discovery = found.get(itemId);
      if (discovery?.kind === 'kept') {
        if (discovery.contentVersion) deps.items.setContentVersion(tx, itemId, discovery.contentVersion, at);
      } else if (discovery) read.push(itemId);
    }
    const states = deps.items.discoveryStates(tx, read);
    const sourcesOf = groupByItem(deps.mediaSources.listForItems(read, tx));
    const transcripts = new Map(
      deps.artifacts
        .listForItems(read, tx)
        .filter((artifact) => artifact.kind === 'transcript')
        .map((artifact) => [artifact.itemId, artifact]),
    );
    for (const itemId of read) {
      const discovery = found.get(itemId);
      const before = states.get(itemId);
      if (discovery?.kind !== 'found' || !before) continue;
      const { changed, sources } = deps.mediaSources.replaceDiscoveredFrom(
        tx,
        itemId,
        discovery.refs,
        at,
        sourcesOf.get(itemId) ?? [],
      );
      applyFound(
        tx,
        itemId,
        discovery,
        { before, changed, sources, transcript: transcripts.get(itemId) },
        at,
      );
    }
  };

  const applyFound = (
    tx: DbOrTx,
    itemId: number,
    discovery: Extract<Discovery, { kind: 'found' }>,
    known: {
      before: Pick<ItemRow, 'status' | 'errorCode' | 'mediaUrl'>;
      changed: boolean;
      sources: MediaSourceRow[];
      transcript: ArtifactRow | undefined;
    },
    at: Date,
  ) => {
    const { before, changed, sources, transcript } = known;
    const first = sources[0];
    // Recordings that changed and changed back, a new passcode, or a data folder from before
    // media sources: a transcript made from these very recordings keeps the item ready.
    const stillCurrent = transcript !== undefined && transcriptIsCurrent(transcript, before, sources);
    deps.items.setDiscovery(
      tx,
      itemId,
      {
        provider: first?.provider ?? null,
        mediaUrl: first?.url ?? null,
        contentVersion: discovery.contentVersion,
      },
      at,
    );
    let status = before.status;
    if (changed && !stillCurrent) {
      status = statusAfterSourcesChanged(before.status, sources);
      deps.items.setStatus(tx, itemId, { status }, at);
    }
    // An item with nothing to fetch says why, when a link names a host but no recording; only
    // a change is written, so a sync does not touch every assignment and quiz each time.
    const note = discovery.unusable;
    const noted = changed && !stillCurrent ? null : before.errorCode;
    if (sources.length === 0 && status === 'DISCOVERED' && (note?.code ?? null) !== noted) {
      deps.items.setStatus(
        tx,
        itemId,
        {
          status,
          errorCode: note?.code ?? null,
          error: note?.message ?? null,
        },
        at,
      );
    }
  };

  return applyDiscoveries;
}
