/**
 * The real lectures (caption-panel text, no times) as notes input, for the offline summarizer's
 * tests. Times are synthetic: caption line i starts at i × `msPerLine`. The lines go through the
 * real normalizer, so the paragraphs and their start times are those a stored transcript has.
 * Below them, helpers that read the notes back by their documented shape (notes.format.ts).
 */

import { expect } from 'vitest';
import { cuesToTranscript, normalizePlainCaptions } from '../transcripts/transcript.normalizer.ts';
import type { NotesChapter, SummarizeInput } from './summarizer.ts';

export { type LectureName, readLecture } from './lectures.test-utils.ts';

export const MS_PER_LINE = 2500;

/** A recording: each caption line a cue of `msPerLine`, blank lines skipped as a player would. */
export function recordingInput(
  text: string,
  options: { title?: string; chapters?: NotesChapter[]; msPerLine?: number } = {},
): SummarizeInput {
  const msPerLine = options.msPerLine ?? MS_PER_LINE;
  const cues = text
    .split(/\r?\n/)
    .map((line, i) => ({ startMs: i * msPerLine, endMs: (i + 1) * msPerLine, text: line }))
    .filter((cue) => cue.text.trim() !== '');
  const transcript = cuesToTranscript(cues);
  return {
    title: options.title ?? 'Lecture',
    kind: 'recording',
    segments: transcript.paragraphs,
    chapters: options.chapters ?? [],
    range: { startMs: cues[0]?.startMs ?? 0, endMs: cues.at(-1)?.endMs ?? 0 },
  };
}

/** A reading: the same text as untimed paragraphs. */
export function readingInput(text: string, title = 'Reading'): SummarizeInput {
  return {
    title,
    kind: 'reading',
    segments: normalizePlainCaptions(text).paragraphs,
    chapters: [],
    range: null,
  };
}

const TIME = /\[(\d{2}):(\d{2}):(\d{2})\]/;
/** Markers show whole seconds. */
export const second = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? ms : Math.floor(ms / 1000) * 1000;
const msOf = (match: RegExpExecArray | null) =>
  match ? ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000 : null;
const unescapeMarkdown = (markdown: string) => markdown.replace(/\\(.)/g, '$1');
export const squash = (text: string) => text.replace(/\s+/g, ' ').trim().toLowerCase();
export const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

export interface ParsedNotes {
  headings: string[];
  overview: string[];
  sections: Array<{
    label: string;
    startMs: number | null;
    bullets: Array<{ text: string; ms: number | null }>;
  }>;
  keyTerms: string[];
}

/** Reads the notes back by the shape notes.format.ts documents; anything else fails the test. */
export function parseNotes(text: string): ParsedNotes {
  const blocks = text.trimEnd().split('\n\n');
  expect(blocks[0]).toMatch(/^# \S/);
  expect(blocks[1]).toMatch(/^_Extractive notes made offline: \d+ sentences quoted .*_$/);
  const notes: ParsedNotes = { headings: [], overview: [], sections: [], keyTerms: [] };
  for (const block of blocks.slice(2)) {
    const [heading = '', ...body] = block.split('\n');
    expect(heading).toMatch(/^## \S/);
    notes.headings.push(heading);
    if (heading === '## Overview') {
      expect(body).toHaveLength(1);
      notes.overview = unescapeMarkdown(body[0] ?? '').split(/(?<=[.!?])\s+(?=[A-Z])/);
    } else if (heading === '## Key terms') {
      expect(body).toHaveLength(1);
      notes.keyTerms = (body[0] ?? '').split(', ');
    } else {
      const label = heading.replace(/^## (?:\[\d{2}:\d{2}:\d{2}\] )?/, '');
      const bullets = body.map((line) => {
        expect(line).toMatch(/^- \S/);
        const time = / \[(\d{2}):(\d{2}):(\d{2})\]$/.exec(line);
        return { text: unescapeMarkdown(line.slice(2, time ? time.index : undefined)), ms: msOf(time) };
      });
      notes.sections.push({ label, startMs: msOf(TIME.exec(heading)), bullets });
    }
  }
  return notes;
}

/** The paragraphs as one lower-case text, and where each starts in it. */
export function paragraphIndex(input: SummarizeInput) {
  let text = '';
  const starts: number[] = [];
  for (const segment of input.segments) {
    if (text) text += ' ';
    starts.push(text.length);
    text += squash(segment.text);
  }
  const paragraphAt = (position: number) => starts.filter((start) => start <= position).length - 1;
  return { text, starts, paragraphAt };
}

/** Content words of a line, independent of the summarizer's own lists. */
const COMMON = new Set(
  'the and that this with are for you can will have from then they which into what'.split(' '),
);
function wordSet(line: string): Set<string> {
  return new Set(
    (line.toLowerCase().match(/[a-z0-9']+/g) ?? []).filter((w) => w.length >= 3 && !COMMON.has(w)),
  );
}
/** Shared content words over the smaller line's: 1 when one line's words are all in the other. */
export function overlap(a: string, b: string): number {
  const [x, y] = [wordSet(a), wordSet(b)];
  const shared = [...x].filter((word) => y.has(word)).length;
  return shared / Math.max(1, Math.min(x.size, y.size));
}

/** Every sentence the notes quote: the overview's, then the bullets in order. */
export function quotedLines(notes: ParsedNotes): string[] {
  return [
    ...notes.overview,
    ...notes.sections.flatMap((section) => section.bullets.map((bullet) => bullet.text)),
  ];
}

/** No two lines share 70% of the shorter one's content words. */
export function expectNoNearDuplicates(lines: readonly string[]): void {
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      expect(overlap(lines[i] ?? '', lines[j] ?? ''), `${lines[i]}\n${lines[j]}`).toBeLessThan(0.7);
    }
  }
}
