import { describe, expect, it } from 'vitest';
import { readLecture, timedText } from './lectures.test-utils.ts';
import { notesFromText } from './notes-input.ts';
import { type Part, packParts, splitPart, toUnits } from './parts.ts';
import type { SummarizeInput } from './summarizer.ts';
import { countTokens } from './tokens.ts';

const caption = readLecture('ml-module-5');

function split(input: SummarizeInput, budget: number): Part[] {
  return packParts(toUnits(input, budget), budget, input.range?.endMs ?? null);
}

/** The parts' own text (overlap left out), which must be the whole transcript once, in order. */
const ownText = (parts: Part[]) =>
  parts.flatMap((part) => part.units.slice(part.overlap).map((unit) => unit.text)).join(' ');
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '');

describe('splitting a transcript into parts', () => {
  const lecture = notesFromText('ML 5', timedText(caption));

  it('keeps every part within the budget, counted with the tokenizer', () => {
    for (const budget of [300, 1000, 2500]) {
      const parts = split(lecture, budget);
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) {
        expect(countTokens(part.text)).toBe(part.tokens);
        expect(part.tokens).toBeLessThanOrEqual(budget);
      }
    }
  });

  it('evens the parts out instead of leaving a sliver at the end', () => {
    for (const budget of [1200, 1500, 2500]) {
      const sizes = split(lecture, budget).map((part) => part.tokens);
      expect(Math.max(...sizes) - Math.min(...sizes), `budget ${budget}`).toBeLessThan(budget * 0.15);
    }
  });

  it('covers every paragraph once, in order, without cutting any', () => {
    const parts = split(lecture, 1000);
    expect(ownText(parts)).toBe(lecture.segments.map((segment) => segment.text).join(' '));
    for (const part of parts) {
      for (const unit of part.units.slice(part.overlap)) {
        expect(lecture.segments.map((segment) => segment.text)).toContain(unit.text);
      }
    }
  });

  it('opens each later part with the end of the one before, at most 5% of the budget', () => {
    const parts = split(lecture, 1000);
    parts.slice(1).forEach((part, i) => {
      const previous = parts[i] as Part;
      const lead = part.units.slice(0, part.overlap);
      expect(lead.length).toBeGreaterThan(0);
      expect(lead.reduce((sum, unit) => sum + unit.tokens + 1, 0)).toBeLessThanOrEqual(50);
      expect(previous.text.endsWith(lead.map((unit) => unit.rendered).join('\n\n'))).toBe(true);
    });
  });

  it('gives each paragraph of a recording its time marker and each part its time range', () => {
    const parts = split(lecture, 1000);
    expect(parts[0]?.text.startsWith('[00:00:00] ')).toBe(true);
    for (const [i, part] of parts.entries()) {
      const own = part.units.slice(part.overlap);
      expect(own.every((unit) => unit.rendered.startsWith('['))).toBe(true);
      expect(part.startMs).toBe(own[0]?.startMs);
      expect(part.endMs).toBe(parts[i + 1]?.startMs ?? lecture.range?.endMs);
    }
  });

  it('writes no times for a reading', () => {
    const reading: SummarizeInput = { ...lecture, kind: 'reading' };
    const parts = split(reading, 1000);
    expect(parts.some((part) => /\[\d\d:\d\d:\d\d\]/.test(part.text))).toBe(false);
    expect(parts[0]?.text.startsWith(lecture.segments[0]?.text ?? '?')).toBe(true);
  });

  it('cuts a paragraph longer than the budget between sentences', () => {
    const sentences = Array.from({ length: 60 }, (_, i) => `Sentence number ${i} is about gradient descent.`);
    const input = notesFromText('T', `[00:01:00] ${sentences.join(' ')}`);
    const parts = split(input, 100);

    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.tokens).toBeLessThanOrEqual(100);
      for (const unit of part.units.slice(part.overlap)) {
        expect(unit.rendered.startsWith('[00:01:00] Sentence number')).toBe(true);
        expect(unit.text.endsWith('descent.')).toBe(true);
      }
    }
    expect(ownText(parts)).toBe(sentences.join(' '));
  });

  it('cuts a sentence without punctuation between words, and a word too long at tokens', () => {
    const caption = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const parts = split(notesFromText('T', caption), 120);
    expect(parts.every((part) => part.tokens <= 120)).toBe(true);
    expect(words(ownText(parts))).toEqual(words(caption));

    const blob = 'x'.repeat(3000);
    const blobParts = split(notesFromText('T', blob), 100);
    expect(blobParts.every((part) => part.tokens <= 100)).toBe(true);
    expect(
      blobParts
        .map((part) =>
          part.units
            .slice(part.overlap)
            .map((u) => u.text)
            .join(''),
        )
        .join(''),
    ).toBe(blob);
  });

  it('counts text that looks like a special token as plain text', () => {
    const parts = split(notesFromText('T', '[00:00:01] Say <|endoftext|> aloud.'), 100);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.text).toContain('<|endoftext|>');
  });

  it('makes one part of a transcript that fits', () => {
    const input = notesFromText('T', '[00:00:05] One.\n\n[00:01:10] Two.');
    expect(split(input, 1000).map((part) => part.text)).toEqual(['[00:00:05] One.\n\n[00:01:10] Two.']);
  });
});

describe('halving a part whose notes were cut off', () => {
  const lecture = notesFromText('ML 5', timedText(caption));

  it('splits between paragraphs near the middle, the second half opening with the end of the first', () => {
    const [, part] = split(lecture, 2000) as [Part, Part];
    const [first, second] = splitPart(part) ?? [];
    if (!first || !second) throw new Error('expected two halves');

    const own = (p: Part) => p.units.slice(p.overlap).map((unit) => unit.text);
    expect([...own(first), ...own(second)]).toEqual(own(part));
    expect(first.overlap).toBe(part.overlap);
    expect(Math.abs(first.tokens - second.tokens)).toBeLessThan(part.tokens / 2);
    expect(second.overlap).toBeGreaterThan(0);
    expect(first.startMs).toBe(part.startMs);
    expect(first.endMs).toBe(second.startMs);
    expect(second.endMs).toBe(part.endMs);
  });

  it('splits a part of one long paragraph inside it', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Point ${i} explains the loss function.`);
    const [part] = split(notesFromText('T', `[00:02:00] ${sentences.join(' ')}`), 1000) as [Part];
    const halves = splitPart(part);
    expect(halves).not.toBeNull();
    expect(halves?.every((half) => half.tokens < part.tokens)).toBe(true);
    const second = halves?.[1] as Part;
    // The repeated sentences are context without a marker; the half's own text keeps the paragraph's.
    expect(second.text).toMatch(/^Point \d+ explains/);
    expect(second.units[second.overlap]?.rendered).toMatch(/^\[00:02:00\] Point/);
  });

  it('refuses to split a part too small to be the cause', () => {
    const [part] = split(notesFromText('T', '[00:00:05] One.\n\n[00:01:10] Two.'), 1000) as [Part];
    expect(splitPart(part)).toBeNull();
  });
});
