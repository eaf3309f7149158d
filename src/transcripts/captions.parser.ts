/**
 * SRT and WebVTT → `TranscriptCue[]`, following reference §E.
 *
 * This is a hand parser, not @plussub/srt-vtt-parser: v2.0.5 of that package reads an SRT time
 * written with a period (`00:00:01.500`) as 1 ms, detects WebVTT only when the text starts with
 * `WEBVTT` (a BOM defeats it), splits on `\n` only (lone-CR files become one line), treats any
 * block whose first line merely contains "note" as a comment, throws on a cue without text, and
 * leaves all markup in the text. Real caption files hit every one of those.
 */

import type { TranscriptCue } from './transcript-provider.ts';

export type CaptionFormat = 'vtt' | 'srt';

// Hours optional (and any width); milliseconds after a comma or a period, 1–3 digits.
const TIMESTAMP = String.raw`(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?`;
const TIMING_LINE = new RegExp(String.raw`^\s*${TIMESTAMP}[ \t]*-->[ \t]*${TIMESTAMP}(?:\s.*)?$`);
const VTT_SKIPPED_BLOCK = /^(?:NOTE|STYLE|REGION)(?:\s|$)/;

const VOICE_SPAN = /<v(?:\.[^\s>]+)?\s+([^>]+)>/i;
const ASS_OVERRIDE = /\{\\[^}]*\}/g;
const INLINE_TIMESTAMP = /<\d+:[\d:.]+>/g;
const LINE_BREAK_TAG = /<br\s*\/?>/gi;
// Only the tags captions use, so a literal "a <b and c> d" in speech survives.
const MARKUP_TAG = /<\/?(?:c|i|b|u|v|s|ruby|rt|lang|font|span|em|strong)(?:[.\s][^<>]*)?>/gi;
// "Jane Doe: text" (Zoom transcripts), "DRIVER: text", "Speaker 1: text": up to four words, each
// capitalised, a number or a name particle, so "So here's the thing: …" stays text.
const NAME_WORD = String.raw`(?:\p{Lu}[\p{L}'’.-]*|\d+|de|da|del|della|di|du|van|von|der|den|la|le|bin|al)`;
const SPEAKER_PREFIX = new RegExp(String.raw`^(\p{Lu}[\p{L}'’.-]*(?:\s+${NAME_WORD}){0,3}):\s+(\S.*)$`, 'u');
// A lone Title-case word ("Today:", "Note:") is a speaker only in files where most cues carry one.
const STRONG_SPEAKER = /\s|^\p{Lu}[\p{Lu}'’.-]+$/u;

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  lrm: '',
  rlm: '',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
};

/** Tells WebVTT from SRT by content; `null` when the text has no timing line at all. */
export function detectCaptionFormat(text: string): CaptionFormat | null {
  const lines = normaliseLineEndings(text).split('\n');
  const firstContent = lines.find((line) => line.trim() !== '');
  if (firstContent?.startsWith('WEBVTT')) return 'vtt';
  const timing = lines.find((line) => TIMING_LINE.test(line));
  if (!timing) return null;
  // Header-less VTT exists; the decimal separator is then the only tell.
  return timing.includes(',') ? 'srt' : 'vtt';
}

/**
 * Parses SRT or WebVTT (detected by content) into cues sorted by start time, with markup and
 * entities removed, `<v>` voices and "Name: text" prefixes moved to `speaker`, and rolling ASR
 * repeats removed. Text that is neither format yields `[]`.
 */
export function parseCaptions(text: string): TranscriptCue[] {
  const format = detectCaptionFormat(text);
  if (format === null) return [];
  const cues: TranscriptCue[] = readRawCues(normaliseLineEndings(text).split('\n'), format)
    .map(({ startMs, endMs, lines }) => ({
      startMs,
      endMs: Math.max(startMs, endMs),
      ...cleanPayload(lines),
    }))
    .filter((cue) => cue.text !== '');
  assignSpeakerPrefixes(cues);
  cues.sort((a, b) => a.startMs - b.startMs);
  return dedupeRollingCues(cues);
}

interface RawCue {
  startMs: number;
  endMs: number;
  lines: string[];
}

function readRawCues(lines: string[], format: CaptionFormat): RawCue[] {
  const cues: RawCue[] = [];
  let current: RawCue | null = null;
  let atBlockStart = true;
  let skipping = false;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') {
      current = null;
      atBlockStart = true;
      skipping = false;
      continue;
    }
    const timing = parseTimingLine(line);
    // Per the WebVTT parser, a line with a timing arrow always starts a new cue, even mid-block.
    if (timing) {
      current = { ...timing, lines: [] };
      cues.push(current);
      atBlockStart = false;
      skipping = false;
      continue;
    }
    if (atBlockStart) {
      atBlockStart = false;
      skipping = line.startsWith('WEBVTT') || (format === 'vtt' && VTT_SKIPPED_BLOCK.test(line));
    }
    // Lines outside a cue are identifiers, sequence numbers or header lines: never text.
    if (skipping || current === null) continue;
    // SRT files with the blank line missing put the next sequence number straight after the text.
    const next = lines[index + 1];
    if (/^\s*\d+\s*$/.test(line) && next !== undefined && parseTimingLine(next)) continue;
    current.lines.push(line);
  }
  return cues;
}

function parseTimingLine(line: string): { startMs: number; endMs: number } | null {
  const match = TIMING_LINE.exec(line);
  if (!match) return null;
  const [, h1, m1, s1, f1, h2, m2, s2, f2] = match;
  return { startMs: toMs(h1, m1, s1, f1), endMs: toMs(h2, m2, s2, f2) };
}

function toMs(hours = '0', minutes = '0', seconds = '0', fraction = ''): number {
  const millis = Number(fraction.padEnd(3, '0'));
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + millis;
}

function cleanPayload(lines: string[]): { text: string; speaker?: string } {
  let speaker: string | undefined;
  const parts = lines.map((line) => {
    const voice = VOICE_SPAN.exec(line);
    if (voice?.[1] && speaker === undefined) speaker = collapseWhitespace(decodeEntities(voice[1]));
    return decodeEntities(stripMarkup(line));
  });
  const text = collapseWhitespace(parts.join(' '));
  return speaker ? { text, speaker } : { text };
}

function assignSpeakerPrefixes(cues: TranscriptCue[]): void {
  const candidates = cues.map((cue) => (cue.speaker === undefined ? SPEAKER_PREFIX.exec(cue.text) : null));
  const prefixed = candidates.filter(Boolean).length;
  const labelled = prefixed >= 2 && prefixed > cues.length / 2;
  for (const [index, match] of candidates.entries()) {
    const cue = cues[index];
    const [, name, rest] = match ?? [];
    if (!cue || !name || !rest || name.length > 40) continue;
    if (!labelled && !STRONG_SPEAKER.test(name)) continue;
    cue.speaker = name;
    cue.text = rest;
  }
}

function stripMarkup(line: string): string {
  return line
    .replace(ASS_OVERRIDE, '')
    .replace(INLINE_TIMESTAMP, '')
    .replace(LINE_BREAK_TAG, ' ')
    .replace(MARKUP_TAG, '');
}

/** Decodes HTML entities in one pass, so `&amp;lt;` becomes `&lt;`, not `<`. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? entity;
  });
}

/**
 * Rolling captions follow each other with no gap; a cue that starts later than this after the
 * previous one ends is new speech even if it repeats the previous cue's last words.
 */
const ROLLING_GAP_MS = 1000;

/**
 * Removes the repeats of rolling ASR captions (YouTube, some Zoom tracks), where each cue starts
 * with the tail of the previous one. Only cues adjacent in time (within `ROLLING_GAP_MS`) are
 * compared. Repeats of three or more words are removed then; shorter ones only when the cues
 * touch and the repeat covers a whole cue, so a speaker's genuine "very, very" across a cue
 * boundary is kept.
 */
export function dedupeRollingCues(cues: readonly TranscriptCue[]): TranscriptCue[] {
  const result: TranscriptCue[] = [];
  for (const cue of cues) {
    const previous = result.at(-1);
    const overlap = previous ? rollingOverlap(previous, cue) : 0;
    if (!previous || overlap === 0) {
      result.push({ ...cue });
      continue;
    }
    const rest = cue.text.split(' ').slice(overlap).join(' ');
    if (rest === '') previous.endMs = Math.max(previous.endMs, cue.endMs);
    else result.push({ ...cue, text: rest });
  }
  return result;
}

function rollingOverlap(previous: TranscriptCue, cue: TranscriptCue): number {
  const before = previous.text.split(' ').map(comparable);
  const after = cue.text.split(' ').map(comparable);
  if (cue.startMs - previous.endMs > ROLLING_GAP_MS) return 0;
  const touching = cue.startMs <= previous.endMs;
  for (let k = Math.min(before.length, after.length); k > 0; k--) {
    if (!before.slice(-k).every((word, i) => word === after[i])) continue;
    if (k >= 3) return k;
    return touching && (k === before.length || k === after.length) ? k : 0;
  }
  return 0;
}

function comparable(word: string): string {
  return word.toLowerCase().replace(/[^\p{L}\p{N}'’]/gu, '');
}

function normaliseLineEndings(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
