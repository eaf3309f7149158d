import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { SearchHit, SearchKind, SearchRepository } from '../db/repositories/search.repository.ts';
import type { NotesSourceRef, TimeLinker } from '../summarize/notes-input.ts';
import { formatTimestamp } from '../transcripts/transcript.normalizer.ts';
import { MARK_CLOSE, MARK_OPEN } from './search.documents.ts';
import { parseSearchQuery } from './search.query.ts';

/**
 * Ranking. Each row's bm25 score is multiplied by its kind's weight: a title names what the
 * whole item is about, notes condense a lecture into its key terms, and a transcript paragraph
 * is one passage of the raw words, the most numerous and the noisiest, so a word in a title
 * outranks the same word in the notes, which outranks it in the transcript. An item ranks by its
 * best row, not by a sum over its rows: a sum would let an hour of transcript that repeats a
 * word outrank an item titled with it by sheer length. Items whose best rows score alike are
 * ordered by how many of their rows match.
 */
const WEIGHTS: Readonly<Record<SearchKind, number>> = { title: 4, notes: 2, transcript: 1 };

const SNIPPET = { open: MARK_OPEN, close: MARK_CLOSE, ellipsis: '…', tokens: 24 } as const;

export interface SearchRequest {
  q: string;
  courseId?: number;
  moduleId?: number;
  limit: number;
  offset: number;
}

export interface SearchResult extends Omit<SearchHit, 'rowId' | 'score' | 'matches'> {
  /** HTML: the matching text, escaped, with each match in `<mark>`…`</mark>`. */
  snippet: string;
  /** `hh:mm:ss` of `startMs`. */
  start: string | null;
  /** The recording at that moment, when its host has such links and the item holds one recording. */
  link: string | null;
}

export interface SearchPage {
  query: string;
  results: SearchResult[];
  total: number;
  limit: number;
  offset: number;
}

export type SearchService = ReturnType<typeof createSearchService>;

export function createSearchService(deps: {
  search: SearchRepository;
  mediaSources: Pick<MediaSourcesRepository, 'listForItems'>;
  /** How a time opens a recording at that moment (providers.registry.ts). */
  timeLinks: (source: NotesSourceRef) => TimeLinker | null;
}) {
  /**
   * The one recording each item's times refer to: its only source whose words are in the
   * transcript. Several recordings each start at 00:00:00, so their times stay unlinked, as in
   * the notes.
   */
  const linkersFor = (itemIds: number[]): Map<number, TimeLinker> => {
    const ready = new Map<number, NotesSourceRef[]>();
    for (const source of deps.mediaSources.listForItems(itemIds)) {
      if (source.status !== 'ready') continue;
      ready.set(source.itemId, [...(ready.get(source.itemId) ?? []), source]);
    }
    const linkers = new Map<number, TimeLinker>();
    for (const [itemId, sources] of ready) {
      const linker = sources.length === 1 && sources[0] ? deps.timeLinks(sources[0]) : null;
      if (linker) linkers.set(itemId, linker);
    }
    return linkers;
  };

  return {
    /** Throws `search.bad_query` for a query that cannot be read (see search.query.ts). */
    search(request: SearchRequest): SearchPage {
      const { match } = parseSearchQuery(request.q);
      const { hits, total } = deps.search.search({
        match,
        courseId: request.courseId,
        moduleId: request.moduleId,
        weights: WEIGHTS,
        limit: request.limit,
        offset: request.offset,
      });
      const snippets = deps.search.snippets(
        match,
        hits.map((hit) => hit.rowId),
        SNIPPET,
      );
      const linkers = linkersFor(hits.filter((hit) => hit.startMs !== null).map((hit) => hit.itemId));
      const results = hits.map(({ rowId, score: _score, matches: _matches, ...hit }) => ({
        ...hit,
        snippet: markUp(snippets.get(rowId) ?? hit.title),
        start: hit.startMs === null ? null : formatTimestamp(hit.startMs).slice(1, -1),
        link:
          hit.startMs === null ? null : (linkers.get(hit.itemId)?.(Math.floor(hit.startMs / 1000)) ?? null),
      }));
      return { query: request.q, results, total, limit: request.limit, offset: request.offset };
    },
  };
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes the text, then turns the markers into tags: indexed text holds no markers, so every
 * tag in the result is ours and no title, transcript or model output can add markup.
 */
function markUp(text: string): string {
  return text
    .replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
    .replaceAll(MARK_OPEN, '<mark>')
    .replaceAll(MARK_CLOSE, '</mark>');
}
