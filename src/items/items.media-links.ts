import type { ItemRow } from '../db/schema.ts';
import { findMediaLinks, type MediaLink } from '../transcripts/media-links.ts';

/**
 * Every recording the item links to, found the way a sync finds them (the item's `media_url`
 * is the first of these), so a client can show what a transcript fetch will read.
 */
export function itemMediaLinks(item: ItemRow): MediaLink[] {
  return findMediaLinks({
    type: item.type,
    external_url: item.externalUrl,
    url: item.apiUrl,
    title: item.title,
  });
}
