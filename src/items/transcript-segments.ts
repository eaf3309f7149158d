/**
 * Reads a stored transcript back into timed segments. Stored transcripts are paragraphs separated
 * by a blank line, each opening with the `[hh:mm:ss]` marker that `formatTimestamp` writes
 * (transcript.normalizer.ts). Transcripts made from caption text without times have no markers.
 */

import { readCuesDocument } from '../transcripts/cues-document.ts';
import { formatTimestamp } from '../transcripts/transcript.normalizer.ts';
import { sectionHeading } from '../transcripts/transcript.render.ts';

export interface TranscriptSegment {
  /** Milliseconds from the start of the recording; `null` when the paragraph carries no time. */
  startMs: number | null;
  /** The marker as written, `hh:mm:ss` (hours may have more digits); `null` without one. */
  start: string | null;
  text: string;
}

// Hours grow past two digits rather than wrap (see formatTimestamp).
const MARKER = /^\[(\d{2,}):([0-5]\d):([0-5]\d)\][ \t]*/;

/**
 * One segment per paragraph. A paragraph without a marker gets `null` times rather than 0: a
 * caption-panel transcript does not say when anything was said, and 0 would claim it does.
 */
export function parseTranscriptSegments(text: string): TranscriptSegment[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .map(toSegment);
}

function toSegment(paragraph: string): TranscriptSegment {
  const match = MARKER.exec(paragraph);
  if (!match) return { startMs: null, start: null, text: paragraph };
  const [marker, hours = '0', minutes = '0', seconds = '0'] = match;
  return {
    startMs: ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000,
    start: `${hours}:${minutes}:${seconds}`,
    text: paragraph.slice(marker.length),
  };
}

/** A recording as a cues file names it: enough for its provider to link a moment of it. */
export interface TimedSource {
  provider: string;
  ref: string;
  url: string | null;
}

/** A paragraph of a cues file, with the section (recording or reading) it belongs to. */
export interface SourcedSegment extends TranscriptSegment {
  /**
   * 0-based index of its source in the cues file, the order of the text's `## heading`s. Each
   * recording restarts at 00:00:00, so with several only this tells two equal times apart.
   */
  source: number;
}

/** A section of the transcript: one recording or reading, under its heading in the text. */
export interface SegmentSource {
  /** The `## heading` the text gives it (written only when there are several sections). */
  heading: string;
  provider: string;
  url: string | null;
}

export interface CuesSegments {
  segments: SourcedSegment[];
  /** In the cues file's order: a segment's `source` indexes this. */
  sources: SegmentSource[];
  /**
   * The one timed recording the times refer to; `null` with none, or with several, since each
   * of those starts at 00:00:00 and a time could name either (as the notes' times do).
   */
  timedSource: TimedSource | null;
}

/** Segments from a `transcripts/{id}.json` document, or null when it is not one we wrote. */
export function segmentsFromCues(json: string): CuesSegments | null {
  const document = readCuesDocument(json);
  if (!document) return null;
  const timed = document.sources.filter((source) => source.timed);
  const only = timed.length === 1 ? timed[0] : undefined;
  return {
    segments: document.sources.flatMap((source, index) =>
      source.paragraphs.map((paragraph) => ({
        startMs: paragraph.start_ms,
        start: paragraph.start_ms === null ? null : clock(paragraph.start_ms),
        text: paragraph.text,
        source: index,
      })),
    ),
    sources: document.sources.map((source, index) => ({
      heading: sectionHeading(source, index),
      provider: source.provider,
      url: source.url,
    })),
    timedSource: only ? { provider: only.provider, ref: only.ref, url: only.url } : null,
  };
}

/** `hh:mm:ss` as `formatTimestamp` writes it, without the brackets. */
const clock = (ms: number) => formatTimestamp(ms).slice(1, -1);
