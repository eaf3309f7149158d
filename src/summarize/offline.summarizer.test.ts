import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { cuesToTranscript } from '../transcripts/transcript.normalizer.ts';
import { notesFromText } from './notes-input.ts';
import { createOfflineSummarizer } from './offline.summarizer.ts';
import {
  expectNoNearDuplicates,
  type LectureName,
  paragraphIndex,
  parseNotes,
  quotedLines,
  readingInput,
  readLecture,
  recordingInput,
  second,
  squash,
  wordCount,
} from './offline.test-utils.ts';
import type { SummarizeInput } from './summarizer.ts';

/** Filler, verbs and adverbs a reader would not call a key term. */
const NOT_TERMS = new Set(
  `the and okay going know like really let look see thing things called mean means want get got show
using used use said say make take think just actually basically also very well right now here there
want going gonna time way lot`.split(/\s+/),
);

const summarize = (input: SummarizeInput, options: { maxKeyPoints?: number } = {}) =>
  createOfflineSummarizer(options).summarize(input, {});

describe.each([
  { name: 'ml-module-1' as LectureName, expectedTerms: [/digit/i, /image/i] },
  { name: 'ml-module-3' as LectureName, expectedTerms: [/variable/i, /feature/i] },
  { name: 'ml-module-5' as LectureName, expectedTerms: [/naive bayes/i, /class/i, /hyperplane|perceptron/i] },
])('offline notes for $name with synthetic times', ({ name, expectedTerms }) => {
  const lecture = readLecture(name);
  const input = recordingInput(lecture);
  const paragraphs = paragraphIndex(input);
  const notesPromise = summarize(input);

  it('has title, offline note, overview, timed sections and key terms, in that order', async () => {
    const { text } = await notesPromise;
    const notes = parseNotes(text);
    expect(text.startsWith('# Lecture\n\n_Extractive notes made offline')).toBe(true);
    expect(notes.headings[0]).toBe('## Overview');
    expect(notes.headings.at(-1)).toBe('## Key terms');
    const middle = notes.headings.slice(1, -1);
    expect(middle.length).toBeGreaterThanOrEqual(3);
    for (const heading of middle) expect(heading).toMatch(/^## \[\d{2}:\d{2}:\d{2}\] \S/);
    expect(notes.overview.length).toBeGreaterThanOrEqual(1);
    expect(notes.overview.length).toBeLessThanOrEqual(2);
  });

  it('quotes every line whole from the transcript, bullets in lecture order', async () => {
    const notes = parseNotes((await notesPromise).text);
    for (const sentence of notes.overview) expect(paragraphs.text, sentence).toContain(squash(sentence));
    let previous = -1;
    for (const bullet of notes.sections.flatMap((section) => section.bullets)) {
      const position = paragraphs.text.indexOf(squash(bullet.text), previous + 1);
      expect(position, bullet.text).toBeGreaterThan(previous);
      expect(wordCount(bullet.text)).toBeGreaterThanOrEqual(6);
      expect(bullet.text).toMatch(/[.!?]$/);
      previous = position;
    }
  });

  it('times each bullet by the start of the paragraph the sentence starts in', async () => {
    const notes = parseNotes((await notesPromise).text);
    let previous = -1;
    for (const bullet of notes.sections.flatMap((section) => section.bullets)) {
      const position = paragraphs.text.indexOf(squash(bullet.text), previous + 1);
      previous = position;
      expect(bullet.ms, bullet.text).toBe(second(input.segments[paragraphs.paragraphAt(position)]?.startMs));
    }
  });

  it('starts sections at paragraph starts, in time order, each holding only its own window', async () => {
    const { sections } = parseNotes((await notesPromise).text);
    const paragraphStarts = new Set(input.segments.map((segment) => second(segment.startMs)));
    expect(sections[0]?.startMs).toBe(second(input.segments[0]?.startMs));
    sections.forEach((section, i) => {
      expect(paragraphStarts.has(section.startMs)).toBe(true);
      const next = sections[i + 1]?.startMs ?? Number.POSITIVE_INFINITY;
      expect(section.startMs ?? -1).toBeLessThan(next);
      expect(section.bullets.length).toBeGreaterThanOrEqual(1);
      expect(section.bullets.length).toBeLessThanOrEqual(4);
      for (const bullet of section.bullets) {
        expect(bullet.ms ?? -1).toBeGreaterThanOrEqual(section.startMs ?? 0);
        expect(bullet.ms ?? -1).toBeLessThan(next);
      }
    });
  });

  it('labels each section by terms said in that section, never by filler', async () => {
    const { sections } = parseNotes((await notesPromise).text);
    sections.forEach((section, i) => {
      const startingAt = (ms: number | null | undefined) =>
        input.segments.findIndex((segment) => second(segment.startMs) === ms);
      const from = startingAt(section.startMs);
      const to = i + 1 < sections.length ? startingAt(sections[i + 1]?.startMs) : input.segments.length;
      expect(from).toBeGreaterThanOrEqual(0);
      const own = squash(
        input.segments
          .slice(from, to)
          .map((segment) => segment.text)
          .join(' '),
      );
      const terms = section.label.split(', ');
      expect(terms.length).toBeGreaterThanOrEqual(1);
      expect(terms.length).toBeLessThanOrEqual(3);
      for (const term of terms) {
        expect(own, term).toContain(term.toLowerCase());
        for (const word of term.toLowerCase().split(' ')) expect(NOT_TERMS.has(word), term).toBe(false);
      }
    });
  });

  it('never says the same thing twice', async () => {
    const notes = parseNotes((await notesPromise).text);
    const lines = quotedLines(notes);
    expectNoNearDuplicates(lines);
  });

  it('names the subject matter in its key terms, with no filler, verbs or adverbs', async () => {
    const { keyTerms } = parseNotes((await notesPromise).text);
    expect(keyTerms.length).toBeGreaterThanOrEqual(6);
    for (const pattern of expectedTerms)
      expect(
        keyTerms.some((term) => pattern.test(term)),
        String(pattern),
      ).toBe(true);
    for (const term of keyTerms) {
      const words = term.toLowerCase().split(' ');
      expect(
        words.filter((word) => NOT_TERMS.has(word) || /^\w{3,}ly$/.test(word)),
        term,
      ).toEqual([]);
    }
  });

  it('leaves out caption noise and "let\'s look at" narration', async () => {
    const { text } = await notesPromise;
    expect(text).not.toContain('[MUSIC]');
    expect(text).not.toContain('>>');
    for (const section of parseNotes(text).sections)
      for (const bullet of section.bullets)
        expect(bullet.text).not.toMatch(/^(?:okay|so)?,?\s*let's (?:look|see|run)/i);
  });

  it('is a small fraction of the transcript, with at most maxKeyPoints bullets', async () => {
    const { text } = await notesPromise;
    expect(wordCount(text)).toBeLessThan(wordCount(lecture) * 0.15);
    const bullets = parseNotes(text).sections.flatMap((section) => section.bullets);
    expect(bullets.length).toBeGreaterThanOrEqual(6);
    expect(bullets.length).toBeLessThanOrEqual(15);
  });

  it('writes the same notes every time', async () => {
    expect((await summarize(recordingInput(lecture))).text).toBe((await notesPromise).text);
  });
});

describe('offline summarizer', () => {
  const lecture5 = readLecture('ml-module-5');

  it('identifies itself as offline, version 2, with the key-point cap in its settings key', async () => {
    const summarizer = createOfflineSummarizer({ maxKeyPoints: 7 });
    const result = await summarizer.summarize(recordingInput(readLecture('ml-module-1')), {});

    expect(summarizer.name).toBe('offline');
    expect(summarizer.settingsKey).toBe('offline-v2:7');
    expect(createOfflineSummarizer().settingsKey).toBe('offline-v2:15');
    expect(result).toMatchObject({
      model: 'offline',
      usage: null,
      promptVersion: 'offline-v2',
      parts: 1,
      calls: 0,
      leftOut: [],
    });
  });

  it('caps the bullets of all sections together at maxKeyPoints', async () => {
    const { sections } = parseNotes((await summarize(recordingInput(lecture5), { maxKeyPoints: 3 })).text);
    expect(sections.flatMap((section) => section.bullets)).toHaveLength(3);
  });

  it('quotes nothing twice when the lecturer says a whole part again', async () => {
    const notes = parseNotes((await summarize(recordingInput(`${lecture5}\n${lecture5}`))).text);
    const lines = quotedLines(notes);
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expectNoNearDuplicates(lines);
  });

  it('heads sections with the chapters at their times, after one for what comes before', async () => {
    const chapters = [
      { startMs: 300_000, title: 'Perceptron and hyperplanes' },
      { startMs: 1_200_000, title: 'Naive Bayes from scratch' },
      { startMs: 2_100_000, title: 'Text classification' },
      { startMs: 99_000_000, title: 'After the end' },
    ];
    const { headings, sections } = parseNotes((await summarize(recordingInput(lecture5, { chapters }))).text);
    expect(headings.slice(2, -1)).toEqual([
      '## [00:05:00] Perceptron and hyperplanes',
      '## [00:20:00] Naive Bayes from scratch',
      '## [00:35:00] Text classification',
    ]);
    expect(sections[0]?.startMs).toBe(0);
    expect(sections[0]?.label).not.toBe('');
    for (const [i, section] of sections.entries()) {
      const next = sections[i + 1]?.startMs ?? Number.POSITIVE_INFINITY;
      for (const bullet of section.bullets) {
        expect(bullet.ms ?? -1).toBeGreaterThanOrEqual(section.startMs ?? 0);
        expect(bullet.ms ?? -1).toBeLessThan(next);
      }
    }
  });

  it('writes a reading in the same shape without any times', async () => {
    const input = readingInput(lecture5);
    expect(input.segments.every((segment) => segment.startMs === null)).toBe(true);
    const { text } = await summarize(input);
    expect(text).not.toMatch(/\[\d{2}:\d{2}:\d{2}\]/);
    const notes = parseNotes(text);
    expect(notes.headings[0]).toBe('## Overview');
    expect(notes.headings.at(-1)).toBe('## Key terms');
    expect(notes.sections.length).toBeGreaterThanOrEqual(3);
    const { text: source } = paragraphIndex(input);
    let previous = -1;
    for (const bullet of notes.sections.flatMap((section) => section.bullets)) {
      const position = source.indexOf(squash(bullet.text), previous + 1);
      expect(position, bullet.text).toBeGreaterThan(previous);
      previous = position;
    }
  });

  it('shows no times for a reading even when its paragraphs have them', async () => {
    const { text } = await summarize({ ...recordingInput(lecture5), kind: 'reading' });
    expect(text).not.toMatch(/\[\d{2}:\d{2}:\d{2}\]/);
  });

  it('reads a stored transcript’s [hh:mm:ss] markers as well as its paragraphs', async () => {
    const lines = readLecture('ml-module-1').split('\n');
    const cues = lines.map((line, i) => ({ startMs: i * 2500, endMs: (i + 1) * 2500, text: line }));
    const transcript = cuesToTranscript(cues.filter((cue) => cue.text.trim() !== ''));
    const fromText = await summarize(notesFromText('Lecture', transcript.text));
    expect(fromText.text).toBe((await summarize(recordingInput(readLecture('ml-module-1')))).text);
  });

  it('reports progress up to completion', async () => {
    const progress: Array<{ current: number; total: number }> = [];
    await createOfflineSummarizer().summarize(recordingInput(lecture5), {
      onProgress: (p) => progress.push(p),
    });
    expect(progress.at(-1)).toMatchObject({ current: 2, total: 2 });
  });

  it.each([
    ['no paragraphs', []],
    [
      'caption noise only',
      [
        { startMs: 0, text: '[MUSIC]' },
        { startMs: 1000, text: '>> [MUSIC]' },
      ],
    ],
    ['a few words', [{ startMs: 0, text: 'Hello everyone. Welcome back to the course.' }]],
  ])('refuses %s with summary.transcript_empty', async (_, segments) => {
    const input: SummarizeInput = { title: 'L', kind: 'recording', segments, chapters: [], range: null };
    const error = await summarize(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'summary.transcript_empty', statusCode: 422, transient: false });
  });

  it('stops with an AbortError when the signal is already aborted', async () => {
    const error = await createOfflineSummarizer()
      .summarize(recordingInput(lecture5), { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('escapes Markdown in quoted sentences', async () => {
    const segments = Array.from({ length: 30 }, (_, i) => ({
      startMs: null,
      text: `Topic${i} alpha${i} beta${i} gamma${i} delta${i} feeds the loss_function *and* [model ${i}].`,
    }));
    const input: SummarizeInput = { title: 'L', kind: 'reading', segments, chapters: [], range: null };
    const { text } = await summarize(input);
    const bullet = text.split('\n').find((line) => line.startsWith('- ')) ?? '';
    expect(bullet).toContain('loss\\_function');
    expect(bullet).toContain('\\*and\\*');
    expect(bullet).toMatch(/\\\[model \d+\\\]/);
  });
});
