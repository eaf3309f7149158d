/**
 * What a summarizer reads: the item's paragraphs with their times, chapters and time range, taken
 * from the cues file written beside the transcript (`transcripts/{id}.json`), or read back from
 * the text's `[hh:mm:ss]` markers for transcripts stored before cues files existed.
 */

import { parseTranscriptSegments } from '../items/transcript-segments.ts';
import { readCuesDocument } from '../transcripts/cues-document.ts';
import type { NotesChapter, NotesSegment, SummarizeInput } from './summarizer.ts';

/** How a time in the notes opens the recording at that moment, when the source allows it. */
export type TimeLinker = (seconds: number) => string | null;

/** The recording a cues file names, for building its time links. */
export interface NotesSourceRef {
  provider: string;
  ref: string;
  url: string | null;
}

export interface NotesDocument {
  input: SummarizeInput;
  /** The one timed recording the notes' times refer to; `null` with none or several. */
  source: NotesSourceRef | null;
}

/** The input from a cues document, or `null` when the JSON is not one we wrote. */
export function notesFromCues(title: string, json: string): NotesDocument | null {
  const sources = readCuesDocument(json)?.sources;
  if (!sources || sources.length === 0) return null;
  const timed = sources.filter((source) => source.timed);
  // Several recordings in one item each start at 00:00:00, so a time could name either one:
  // times are kept (each is still checked against the ranges) but only one recording is linked.
  const only = timed.length === 1 ? timed[0] : undefined;
  const segments: NotesSegment[] = sources.flatMap((source) =>
    source.paragraphs
      .filter((paragraph) => paragraph.text.trim() !== '')
      .map((paragraph) => ({ startMs: source.timed ? paragraph.start_ms : null, text: paragraph.text })),
  );
  const chapters: NotesChapter[] = only
    ? only.chapters.map((chapter) => ({ startMs: chapter.start_ms, title: chapter.title }))
    : [];
  const bounds = timed.flatMap((source) =>
    source.cues.flatMap((cue) => [cue.start_ms, cue.end_ms]).filter((ms): ms is number => ms !== null),
  );
  return {
    input: {
      title,
      kind: timed.length > 0 ? 'recording' : 'reading',
      segments,
      chapters: [...chapters].sort((a, b) => a.startMs - b.startMs),
      range: spanOf(bounds),
    },
    source: only ? { provider: only.provider, ref: only.ref, url: only.url } : null,
  };
}

/**
 * The input from transcript text alone (older transcripts, tests): one segment per paragraph,
 * timed by its marker. The range ends at the last marker, since the text does not say when the
 * last paragraph ends.
 */
export function notesFromText(title: string, text: string, kind?: SummarizeInput['kind']): SummarizeInput {
  const segments = parseTranscriptSegments(text).map(({ startMs, text: paragraph }) => ({
    startMs,
    text: paragraph,
  }));
  const times = segments.map((segment) => segment.startMs).filter((ms): ms is number => ms !== null);
  const timed = times.length > 0;
  return {
    title,
    kind: kind ?? (timed ? 'recording' : 'reading'),
    segments,
    chapters: [],
    range: spanOf(times),
  };
}

/**
 * A recording runs from 00:00:00, whenever its first words come (a chapter mark at 0:00 is a real
 * moment), to the largest time given. A loop, as a spread into `Math.max` overflows the stack on
 * long lectures.
 */
function spanOf(values: readonly number[]): { startMs: number; endMs: number } | null {
  if (values.length === 0) return null;
  let endMs = 0;
  for (const value of values) if (value > endMs) endMs = value;
  return { startMs: 0, endMs };
}
