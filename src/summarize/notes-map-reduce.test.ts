import { describe, expect, it } from 'vitest';
import { readLecture, timedText } from './lectures.test-utils.ts';
import { notesFromText } from './notes-input.ts';
import { type AskModel, writeNotes } from './notes-map-reduce.ts';
import { createTokenBudget } from './token-budget.ts';

describe('writeNotes', () => {
  it('gives the event loop turns while it counts a long transcript, before the first request', async () => {
    const input = notesFromText('ML 5', timedText(readLecture('ml-module-5')));
    expect(input.segments.length).toBeGreaterThan(100);
    // Each turn of the loop runs this once: how many there were is how often writeNotes yielded.
    let turns = 0;
    let counting = true;
    const tick = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(tick);
    };
    setImmediate(tick);
    const turnsBeforeAsking: number[] = [];
    const ask: AskModel = async () => {
      turnsBeforeAsking.push(turns);
      return { text: '# Notes\n\n- Training data.', truncated: false };
    };
    try {
      await writeNotes({
        input,
        notes: { language: null, instructions: null },
        budget: createTokenBudget({ partTokens: 12_000, contextTokens: 32_768 }),
        ask,
      });
    } finally {
      counting = false;
    }
    expect(turnsBeforeAsking.length).toBe(1);
    // A turn between slices of 50 paragraphs, and one after packing.
    expect(turnsBeforeAsking[0]).toBeGreaterThanOrEqual(Math.ceil(input.segments.length / 50));
  });
});
