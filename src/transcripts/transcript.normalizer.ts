/**
 * Caption cues (or caption-panel text without times) → a readable transcript: sentences rejoined
 * across caption lines, paragraphs of a reasonable size, `>>` speaker changes as paragraph
 * breaks, sound marks such as `[MUSIC]` removed.
 */

import type { Transcript, TranscriptCue } from './transcript-provider.ts';

/** A paragraph closes at the first sentence end after this many words. */
const TARGET_WORDS = 100;
/** A long pause closes a paragraph at a sentence end once it has this many words. */
const PAUSE_MIN_WORDS = 30;
const PAUSE_MS = 5000;
/** Run-on ASR text with no sentence end still gets broken up, mid-sentence if it must. */
const MAX_WORDS = 250;

// Bracketed sound marks of any kind ([MUSIC], [inaudible], [ Laughter ]), but only a bracket that
// stands alone as a word and holds nothing but letters, spaces, apostrophes and hyphens, so that
// spoken code such as `x[0]` or `a[i]` survives. Parenthesised marks only from a known list,
// because speech in parentheses ("the membrane (DNA) …") is common in edited captions.
const NON_SPEECH =
  /(?<=^|\s)\[[ '’-]*\p{L}[\p{L} '’-]{0,40}\](?=$|[\s.,;:!?…"'’”)])|\((?:MUSIC|APPLAUSE|LAUGHTER|LAUGHS|INAUDIBLE|SILENCE|NOISE|COUGHS?|CROSSTALK|BLANK_AUDIO)\)|[♪♫]+/gimu;
const SPEAKER_CHANGE = />>+/;
const ABBREVIATIONS = new Set(['dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'vs', 'e.g', 'i.e', 'fig', 'approx']);

interface Segment {
  text: string;
  startMs: number;
  endMs: number;
  speaker?: string;
  /** A `>>` or a blank line came before this segment. */
  breakBefore: boolean;
}

interface Paragraph {
  startMs: number;
  speakerLabel?: string;
  pieces: string[];
  words: number;
}

/**
 * Builds a transcript from timed cues. `text` has one paragraph per line pair, each starting with
 * a `[hh:mm:ss]` marker (and the speaker's name when it changes); `cues` are the input cues with
 * sound marks and `>>` removed, split where a `>>` falls inside one.
 */
export function cuesToTranscript(cues: readonly TranscriptCue[]): Transcript {
  const sorted = [...cues].sort((a, b) => a.startMs - b.startMs);
  const segments = sorted.flatMap(cueSegments);
  carryBreaks(segments);
  const kept = segments.filter((segment) => segment.text !== '');
  const paragraphs = buildParagraphs(kept, { timed: true }).map((p) => ({
    startMs: p.startMs,
    text: paragraphText(p),
  }));
  return {
    cues: kept.map(({ text, startMs, endMs, speaker }) =>
      speaker ? { startMs, endMs, text, speaker } : { startMs, endMs, text },
    ),
    paragraphs,
    text: paragraphs.map((p) => `${formatTimestamp(p.startMs)} ${p.text}`).join('\n\n'),
  };
}

/**
 * Builds a transcript from caption-panel text (one caption line per line, no times): lines are
 * joined into sentences, paragraphs break at `>>`, at blank lines and by size. There are no time
 * markers; `cues` holds one cue per paragraph with `startMs`/`endMs` 0.
 */
export function normalizePlainCaptions(text: string): Transcript {
  const segments: Segment[] = [];
  let blankBefore = false;
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n?|\n/)) {
    if (line.trim() === '') {
      blankBefore = true;
      continue;
    }
    const [first = '', ...rest] = line.split(SPEAKER_CHANGE);
    segments.push({ text: cleanText(first), startMs: 0, endMs: 0, breakBefore: blankBefore });
    for (const part of rest)
      segments.push({ text: cleanText(part), startMs: 0, endMs: 0, breakBefore: true });
    blankBefore = false;
  }
  carryBreaks(segments);
  const paragraphs = buildParagraphs(
    segments.filter((segment) => segment.text !== ''),
    { timed: false },
  );
  const texts = paragraphs.map(paragraphText);
  return {
    cues: texts.map((paragraph) => ({ startMs: 0, endMs: 0, text: paragraph })),
    paragraphs: texts.map((paragraph) => ({ startMs: null, text: paragraph })),
    text: texts.join('\n\n'),
  };
}

/** `[hh:mm:ss]`, seconds floored; hours grow past two digits rather than wrap. */
export function formatTimestamp(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `[${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}]`;
}

/** Removes sound marks and tidies the spacing they leave behind. */
export function cleanText(text: string): string {
  return text
    .replace(NON_SPEECH, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.,?!;:])/g, '$1')
    .replace(/^[\s.,;:]+/, '')
    .trim();
}

/** One cue → its `>>`-separated parts, with times shared out by text length. */
function cueSegments(cue: TranscriptCue): Segment[] {
  const parts = cue.text.split(SPEAKER_CHANGE);
  const totalChars = parts.reduce((sum, part) => sum + part.length, 0) || 1;
  const duration = cue.endMs - cue.startMs;
  let offset = 0;
  return parts.map((part, index) => {
    const startMs = cue.startMs + Math.round((duration * offset) / totalChars);
    offset += part.length;
    const segment: Segment = {
      text: cleanText(part),
      startMs,
      endMs: cue.startMs + Math.round((duration * offset) / totalChars),
      breakBefore: index > 0,
    };
    if (cue.speaker) segment.speaker = cue.speaker;
    return segment;
  });
}

/** A break before a segment that turned out empty (`>> [MUSIC]`) moves to the next non-empty one. */
function carryBreaks(segments: Segment[]): void {
  let pending = false;
  for (const segment of segments) {
    if (segment.text === '') {
      pending ||= segment.breakBefore;
      continue;
    }
    segment.breakBefore ||= pending;
    pending = false;
  }
}

function buildParagraphs(segments: readonly Segment[], { timed }: { timed: boolean }): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  let lastSpeaker: string | undefined;
  let lastEndMs = 0;
  for (const segment of segments) {
    const speakerChanged = segment.speaker !== undefined && segment.speaker !== lastSpeaker;
    const pause = timed && segment.startMs - lastEndMs >= PAUSE_MS;
    for (const [index, piece] of splitSentences(segment).entries()) {
      const hardBreak = index === 0 && (segment.breakBefore || speakerChanged);
      if (!current || hardBreak || shouldClose(current, index === 0 && pause)) {
        current = { startMs: piece.startMs, pieces: [], words: 0 };
        if (index === 0 && speakerChanged) current.speakerLabel = segment.speaker;
        paragraphs.push(current);
      }
      current.pieces.push(piece.text);
      current.words += countWords(piece.text);
    }
    if (segment.speaker !== undefined) lastSpeaker = segment.speaker;
    lastEndMs = segment.endMs;
  }
  return paragraphs;
}

function shouldClose(paragraph: Paragraph, pause: boolean): boolean {
  if (paragraph.words >= MAX_WORDS) return true;
  if (!endsSentence(paragraph.pieces.at(-1) ?? '')) return false;
  return paragraph.words >= TARGET_WORDS || (pause && paragraph.words >= PAUSE_MIN_WORDS);
}

function paragraphText(paragraph: Paragraph): string {
  const body = paragraph.pieces.join(' ');
  return paragraph.speakerLabel ? `${paragraph.speakerLabel}: ${body}` : body;
}

/** Splits a segment after each sentence end, sharing its time span out by text length. */
function splitSentences(segment: Segment): Array<{ text: string; startMs: number }> {
  const words = segment.text.split(' ');
  const pieces: string[][] = [[]];
  for (const word of words) {
    pieces.at(-1)?.push(word);
    if (endsSentence(word)) pieces.push([]);
  }
  const texts = pieces.filter((piece) => piece.length > 0).map((piece) => piece.join(' '));
  const duration = segment.endMs - segment.startMs;
  let offset = 0;
  return texts.map((text) => {
    const startMs = segment.startMs + Math.round((duration * offset) / (segment.text.length || 1));
    offset += text.length + 1;
    return { text, startMs };
  });
}

function endsSentence(text: string): boolean {
  const match = /(\S*?)[.?!…]+["'”’)\]]*$/.exec(text);
  if (!match) return false;
  const lastWord = (match[1] ?? '').split(' ').at(-1)?.toLowerCase() ?? '';
  // "Dr. Smith", "e.g. this" and initials such as "U.S." do not end a sentence.
  if (ABBREVIATIONS.has(lastWord)) return false;
  return lastWord === 'i' || !/^(?:\p{L}\.)*\p{L}$/u.test(lastWord);
}

function countWords(text: string): number {
  return text.split(' ').filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}
