import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readLecture, timedText } from './lectures.test-utils.ts';
import { notesFromText } from './notes-input.ts';
import { packParts, toUnits } from './parts.ts';

/**
 * How packing uses the tokenizer, with a stand-in that counts words: one token a word, and the
 * blank line between paragraphs one more. `boundaryPenalty` makes joined text count more than
 * its pieces, as a real tokenizer may where pieces meet.
 */
const tokenizer = vi.hoisted(() => ({ boundaryPenalty: 0, characters: 0 }));

vi.mock('./tokens.ts', () => {
  const count = (text: string) => {
    tokenizer.characters += text.length;
    const words = text.split(/\s+/).filter((word) => word !== '').length;
    const breaks = text.split('\n\n').length - 1;
    return words + breaks + (words > 0 ? breaks * tokenizer.boundaryPenalty : 0);
  };
  return {
    countTokens: count,
    sliceByTokens: (text: string, maxTokens: number) => {
      const words = text.split(/\s+/);
      const pieces: string[] = [];
      for (let at = 0; at < words.length; at += maxTokens)
        pieces.push(words.slice(at, at + maxTokens).join(' '));
      return pieces;
    },
  };
});

const lecture = notesFromText('ML 5', timedText(readLecture('ml-module-5')));
const transcriptLength = lecture.segments.reduce((sum, segment) => sum + segment.text.length, 0);

beforeEach(() => {
  tokenizer.boundaryPenalty = 0;
});

describe('packing a transcript into parts', () => {
  it('tokenizes the transcript about once, not once per packing tried', () => {
    const units = toUnits(lecture, 1000);
    tokenizer.characters = 0;
    const parts = packParts(units, 1000, null);
    expect(parts.length).toBeGreaterThan(3);
    // The chosen parts, with the few paragraphs each repeats from the one before.
    expect(tokenizer.characters).toBeLessThan(transcriptLength * 1.3);
  });

  it('still fits every part exactly when joined text counts more than its pieces', () => {
    tokenizer.boundaryPenalty = 2;
    const units = toUnits(lecture, 400);
    const parts = packParts(units, 400, null);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      const words = part.text.split(/\s+/).filter((word) => word !== '').length;
      const breaks = part.text.split('\n\n').length - 1;
      expect(part.tokens).toBe(words + breaks * 3);
      expect(part.tokens).toBeLessThanOrEqual(400);
    }
  });
});
