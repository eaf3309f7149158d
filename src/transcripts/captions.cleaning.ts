/**
 * What is left of a caption file once its cues are read: markup, entities, speakers and the
 * rolling repeats of ASR tracks. Nothing here knows about timing lines or blocks.
 */

import type { TranscriptCue } from './transcript-provider.ts';

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

/** One cue's payload lines → plain text, with a `<v>` voice moved to `speaker`. */
export function cleanPayload(lines: readonly string[]): { text: string; speaker?: string } {
  let speaker: string | undefined;
  const parts = lines.map((line) => {
    const voice = VOICE_SPAN.exec(line);
    if (voice?.[1] && speaker === undefined) speaker = collapseWhitespace(decodeEntities(voice[1]));
    return decodeEntities(stripMarkup(line));
  });
  const text = collapseWhitespace(parts.join(' '));
  return speaker ? { text, speaker } : { text };
}

/** Moves "Name: text" prefixes to `speaker`, judging single-word names by the whole file. */
export function assignSpeakerPrefixes(cues: TranscriptCue[]): void {
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
 * Rolling tracks repeat at nearly every cue boundary; speech captioned line by line repeats
 * itself at a few (the three real lectures in ../shared/data/lectures: 3 of 2,661 boundaries,
 * e.g. "…to this data point." then "This data point can be used"). Below this share of
 * repeating boundaries a track is not rolling and its repeats are kept as spoken.
 */
const ROLLING_TRACK_SHARE = 0.25;

/**
 * Removes the repeats of rolling ASR captions (YouTube, some Zoom tracks), where each cue starts
 * with the tail of the previous one, in tracks that roll (see `ROLLING_TRACK_SHARE`). Only cues
 * adjacent in time (within `ROLLING_GAP_MS`) are compared. Repeats of three or more words are
 * removed then; shorter ones only when the cues touch and the repeat covers a whole cue, so a
 * speaker's genuine "very, very" across a cue boundary is kept.
 */
export function dedupeRollingCues(cues: readonly TranscriptCue[]): TranscriptCue[] {
  if (!isRollingTrack(cues)) return cues.map((cue) => ({ ...cue }));
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

function isRollingTrack(cues: readonly TranscriptCue[]): boolean {
  let repeating = 0;
  for (const [index, cue] of cues.entries()) {
    const previous = cues[index - 1];
    if (previous && rollingOverlap(previous, cue) > 0) repeating++;
  }
  return repeating > 0 && repeating >= (cues.length - 1) * ROLLING_TRACK_SHARE;
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

function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
