/**
 * What goes into the search index for an item's transcript and notes: one row per transcript
 * paragraph (with the time it starts) and one per `## ` section of the notes (with the time its
 * heading names, see notes.format.ts). Pure: text in, rows out.
 */

import type { TranscriptParagraph } from '../transcripts/transcript-provider.ts';

/** What a row of the index holds: the item's title, a transcript paragraph or a notes section. */
export const SEARCH_KINDS = ['title', 'transcript', 'notes'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchRowInput {
  /** Milliseconds into the recording; null for readings and untimed text. */
  startMs: number | null;
  text: string;
}

/**
 * Private-use characters that stand for `<mark>` and `</mark>` in snippets (search.service.ts).
 * Indexed text never holds them, so a title or transcript cannot fake a highlight.
 */
export const MARK_OPEN = '\uE000';
export const MARK_CLOSE = '\uE001';

const MARKERS = /[\uE000\uE001]/g;

/** Text as it is indexed: without the snippet markers, on one line. */
export function indexText(text: string): string {
  return text.replace(MARKERS, '').replace(/\s+/g, ' ').trim();
}

/** One row per paragraph, in order; an untimed section's paragraphs carry no time. */
export function transcriptRows(
  sections: ReadonlyArray<{ timed: boolean; paragraphs: readonly TranscriptParagraph[] }>,
): SearchRowInput[] {
  return sections.flatMap((section) =>
    paragraphRows(
      section.paragraphs.map((p) => ({ startMs: section.timed ? p.startMs : null, text: p.text })),
    ),
  );
}

/** Rows of paragraphs already read back (the cues file, a transcript's markers). */
export function paragraphRows(paragraphs: readonly TranscriptParagraph[]): SearchRowInput[] {
  return paragraphs
    .map((p) => ({ startMs: p.startMs, text: indexText(p.text) }))
    .filter((row) => row.text !== '');
}

const SECTION = /^##[ \t]+(.*)$/;
/** `[hh:mm:ss]` opening a heading, linked to the recording or not: `[00:05:00](https://…)`. */
const HEADING_TIME = /^\[(\d{2,}):([0-5]\d):([0-5]\d)\](?:\([^)\s]*\))?\s*/;
const FENCE = /^\s*(?:```|~~~)/;

/**
 * One row per `## ` section, its heading's words first. What precedes the first section (the
 * `# Title`, already indexed as the item's title, and the offline summarizer's note) is left
 * out, unless the notes have no section at all: then their whole text is one row.
 */
export function notesRows(markdown: string): SearchRowInput[] {
  const sections: Array<{ startMs: number | null; lines: string[] }> = [];
  const preamble: string[] = [];
  let fenced = false;
  for (const line of markdown.split(/\r?\n/)) {
    if (FENCE.test(line)) fenced = !fenced;
    const heading = fenced ? null : SECTION.exec(line);
    if (heading) {
      const title = heading[1] ?? '';
      const time = HEADING_TIME.exec(title);
      sections.push({
        startMs: time ? toMs(time) : null,
        lines: [time ? title.slice(time[0].length) : title],
      });
    } else {
      (sections.at(-1)?.lines ?? preamble).push(line);
    }
  }
  if (sections.length === 0) {
    sections.push({ startMs: null, lines: preamble.filter((line) => !/^#[ \t]/.test(line)) });
  }
  return sections
    .map(({ startMs, lines }) => ({ startMs, text: indexText(plainLines(lines).join(' · ')) }))
    .filter((row) => row.text !== '');
}

/** Markdown as the words a reader sees: no times, link targets, list marks or emphasis. */
function plainLines(lines: readonly string[]): string[] {
  return lines
    .map((line) =>
      line
        .replace(/\[\d{2,}:[0-5]\d:[0-5]\d\](?:\([^)\s]*\))?/g, '')
        .replace(/\[([^\]]*)\]\([^)\s]*\)/g, '$1')
        .replace(/^\s*(?:[-*+]|\d+[.)]|>|#{1,6})\s+/, '')
        .replace(/\*\*|__|`/g, '')
        .trim(),
    )
    .filter((line) => line !== '' && !FENCE.test(line));
}

function toMs(match: RegExpExecArray): number {
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}
