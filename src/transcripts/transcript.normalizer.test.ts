import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  cuesToTranscript,
  formatTimestamp,
  normalizePlainCaptions,
} from './transcript.normalizer.ts';
import type { TranscriptCue } from './transcript-provider.ts';

// Real Panopto caption-panel text, read in place: CI provides this folder and the files must not
// be copied into the repository.
const LECTURES_DIR = path.resolve(process.cwd(), '../shared/data/lectures');
const LECTURE_FILES = ['ml-module-1.txt', 'ml-module-3.txt', 'ml-module-5.txt'];
const readLecture = (file: string) => readFileSync(path.join(LECTURES_DIR, file), 'utf8');

const SENTENCE_END = /[.?!…]["'”’)\]]*$/;
const MARKER = /^\[\d{2,}:\d{2}:\d{2}\] /;

function words(text: string): number {
  return text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/** Speech words in raw caption-panel text: sound marks and `>>` are not words. */
function sourceWords(text: string): number {
  return words(text.replace(/\[[^\]]*\]/g, ' ').replace(/>>/g, ' '));
}

/** Blank-line runs and `>>` marks: the only places a paragraph may end mid-sentence. */
function hardBreaks(text: string): number {
  return (text.match(/\n\s*\n/g)?.length ?? 0) + (text.match(/>>/g)?.length ?? 0);
}

function cue(startS: number, text: string, extra: Partial<TranscriptCue> = {}): TranscriptCue {
  return { startMs: startS * 1000, endMs: startS * 1000 + 1900, text, ...extra };
}

describe('formatTimestamp', () => {
  it.each([
    [0, '[00:00:00]'],
    [999, '[00:00:00]'],
    [3_723_000, '[01:02:03]'],
    [360_000_000, '[100:00:00]'],
  ])('formats %i ms as %s', (ms, expected) => {
    expect(formatTimestamp(ms)).toBe(expected);
  });
});

describe('cleanText', () => {
  it('removes sound marks and the stray spacing and punctuation they leave', () => {
    expect(cleanText("[MUSIC]. that's the question [MUSIC].  ♪ (APPLAUSE) done")).toBe(
      "that's the question. done",
    );
  });

  it('removes bracketed sound marks that stand alone as words, whatever their case or padding', () => {
    expect(cleanText("[inaudible] so [ Laughter ] we begin [APPLAUSE]. [crowd's cross-talk] Yes")).toBe(
      'so we begin. Yes',
    );
  });

  it('keeps brackets that are part of spoken code or hold more than words', () => {
    expect(cleanText('Look at x[0] and a[i].')).toBe('Look at x[0] and a[i].');
    expect(cleanText('the list [1, 2, 3] and [see slide 4]')).toBe('the list [1, 2, 3] and [see slide 4]');
  });

  it('keeps ordinary parentheses in speech', () => {
    expect(cleanText('the nucleus (DNA inside) divides')).toBe('the nucleus (DNA inside) divides');
  });
});

describe('cuesToTranscript', () => {
  it('joins caption lines into sentences under one timestamp marker', () => {
    const transcript = cuesToTranscript([
      cue(1, 'The membrane is built'),
      cue(3, 'from phospholipids.'),
      cue(5, 'Each has a head and two tails.'),
    ]);
    expect(transcript.text).toBe(
      '[00:00:01] The membrane is built from phospholipids. Each has a head and two tails.',
    );
  });

  it('drops sound-only cues and sound marks inside cues', () => {
    const transcript = cuesToTranscript([
      cue(0, '[MUSIC]'),
      cue(2, '[APPLAUSE] Welcome back.'),
      cue(4, '♪ ♪'),
    ]);
    expect(transcript.text).toBe('[00:00:02] Welcome back.');
    expect(transcript.cues).toEqual([{ startMs: 2000, endMs: 3900, text: 'Welcome back.' }]);
  });

  it('starts a new paragraph at each >> speaker change, even inside a cue', () => {
    const transcript = cuesToTranscript([
      cue(0, 'So that is diffusion.'),
      cue(10, 'Any questions? >> Is it the same on both'),
      cue(12, 'sides? >> No, it is not.'),
    ]);
    expect(transcript.text.split('\n\n')).toEqual([
      '[00:00:00] So that is diffusion. Any questions?',
      '[00:00:10] Is it the same on both sides?',
      '[00:00:12] No, it is not.',
    ]);
    expect(transcript.cues.map((c) => c.text)).toEqual([
      'So that is diffusion.',
      'Any questions?',
      'Is it the same on both',
      'sides?',
      'No, it is not.',
    ]);
  });

  it('labels a paragraph with the speaker when the speaker changes', () => {
    const transcript = cuesToTranscript([
      cue(0, 'Good morning.', { speaker: 'Ada' }),
      cue(2, 'Let us begin.', { speaker: 'Ada' }),
      cue(4, 'Can you repeat that?', { speaker: 'Ben' }),
    ]);
    expect(transcript.text).toBe(
      '[00:00:00] Ada: Good morning. Let us begin.\n\n[00:00:04] Ben: Can you repeat that?',
    );
  });

  it('breaks paragraphs after a long pause once they have some substance, but only at a sentence end', () => {
    const sentence = 'Plates move a few centimetres every single year on average.';
    const cues = [
      cue(0, sentence),
      cue(3, sentence),
      cue(6, sentence),
      cue(9, 'and then'),
      cue(30, 'more.'),
      cue(60, 'Next.'),
    ];
    const paragraphs = cuesToTranscript(cues).text.split('\n\n');
    expect(paragraphs).toHaveLength(2);
    expect(paragraphs[1]).toBe('[00:01:00] Next.');
  });

  it('keeps paragraphs to a readable size and closes them at sentence ends', () => {
    const cues = Array.from({ length: 80 }, (_, i) =>
      cue(i * 2, `Sentence number ${i} has exactly seven words.`),
    );
    const paragraphs = cuesToTranscript(cues).text.split('\n\n');
    expect(paragraphs.length).toBeGreaterThanOrEqual(4);
    for (const paragraph of paragraphs) {
      expect(words(paragraph)).toBeLessThanOrEqual(130);
      expect(paragraph).toMatch(SENTENCE_END);
    }
  });

  it('does not end a sentence at abbreviations or initials', () => {
    // 165 words: past the paragraph target, so any false sentence end would split the paragraph.
    const cues = Array.from({ length: 15 }, (_, i) =>
      cue(i * 2, 'We met Dr. Smith in the U.S. and talked about cells'),
    );
    cues.push(cue(30, 'for hours.'));
    expect(cuesToTranscript(cues).text.split('\n\n')).toHaveLength(1);
  });

  it('places markers at interpolated times when a paragraph starts mid-cue', () => {
    const long = Array.from({ length: 25 }, () => 'four words per sentence.').join(' ');
    const transcript = cuesToTranscript([{ startMs: 0, endMs: 100_000, text: `${long} ${long}` }]);
    const markers = transcript.text.split('\n\n').map((p) => p.slice(0, 10));
    expect(markers[0]).toBe('[00:00:00]');
    expect(markers[1]).toBe('[00:00:50]');
  });
});

describe('normalizePlainCaptions', () => {
  it('joins broken lines, breaks at >> and blank lines, and has no markers or times', () => {
    const text =
      '[MUSIC]\n>> Dear students. Today we look\nat preprocessing.\n\nIt matters.\n>> [MUSIC] Next topic\nstarts here [MUSIC].\n';
    const transcript = normalizePlainCaptions(text);
    expect(transcript.text).toBe(
      'Dear students. Today we look at preprocessing.\n\nIt matters.\n\nNext topic starts here.',
    );
    expect(transcript.cues).toEqual([
      { startMs: 0, endMs: 0, text: 'Dear students. Today we look at preprocessing.' },
      { startMs: 0, endMs: 0, text: 'It matters.' },
      { startMs: 0, endMs: 0, text: 'Next topic starts here.' },
    ]);
  });
});

describe.each(LECTURE_FILES)('real lecture %s', (file) => {
  const source = readLecture(file);
  const sourceLines = source.split('\n').filter((line) => line.trim() !== '');

  it('as plain captions becomes clean paragraphs that keep every spoken word', () => {
    const { text, cues } = normalizePlainCaptions(source);
    const paragraphs = text.split('\n\n');
    expect(text).not.toMatch(/\[MUSIC\]|>>|\[|\]|\n{3}| {2}| [.,?!]|^\s|\s$/);
    expect(Math.abs(words(text) - sourceWords(source)) / sourceWords(source)).toBeLessThan(0.02);
    expect(paragraphs.length).toBeLessThan(sourceLines.length / 5);
    expect(paragraphs.filter((p) => !SENTENCE_END.test(p)).length).toBeLessThanOrEqual(hardBreaks(source));
    for (const paragraph of paragraphs) {
      expect(paragraph).not.toMatch(MARKER);
      expect(words(paragraph)).toBeLessThanOrEqual(250);
    }
    expect(cues.map((c) => c.text)).toEqual(paragraphs);
  });

  it('as timed cues (one per caption line) becomes marked paragraphs in time order', () => {
    const cues = sourceLines.map((line, i) => ({ startMs: i * 2500, endMs: i * 2500 + 2400, text: line }));
    const { text } = cuesToTranscript(cues);
    const paragraphs = text.split('\n\n');
    expect(text).not.toMatch(/\[MUSIC\]|>>| {2}| [.,?!]/);
    expect(
      Math.abs(words(text.replace(/\[\d+:\d+:\d+\]/g, '')) - sourceWords(source)) / sourceWords(source),
    ).toBeLessThan(0.02);
    expect(paragraphs.filter((p) => !SENTENCE_END.test(p)).length).toBeLessThanOrEqual(hardBreaks(source));
    const markers = paragraphs.map((p) => MARKER.exec(p)?.[0]);
    expect(markers.every(Boolean)).toBe(true);
    expect(markers).toEqual([...markers].sort());
  });
});
