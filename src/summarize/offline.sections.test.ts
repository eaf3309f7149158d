import { describe, expect, it } from 'vitest';
import { type PlannedSentence, planSections } from './offline.sections.ts';

const MINUTE = 60_000;

/** Paragraphs of `perParagraph` sentences of `words` words; paragraph p starts at p × `everyMs`. */
function lecture(options: {
  paragraphs: number;
  perParagraph?: number;
  words?: number;
  everyMs?: number | null;
}): PlannedSentence[] {
  const { paragraphs, perParagraph = 3, words = 20, everyMs = MINUTE } = options;
  return Array.from({ length: paragraphs * perParagraph }, (_, index) => {
    const paragraph = Math.floor(index / perParagraph);
    return {
      index,
      words,
      startMs: everyMs === null ? null : paragraph * everyMs,
      opensParagraph: index % perParagraph === 0,
    };
  });
}

const plan = (sentences: PlannedSentence[], options: Partial<Parameters<typeof planSections>[1]> = {}) =>
  planSections(sentences, { timed: true, chapters: [], maxSections: 15, ...options });

describe('planSections', () => {
  it('cuts a recording into windows of about nine minutes, at paragraph starts, in order', () => {
    const sentences = lecture({ paragraphs: 60 });
    const sections = plan(sentences);
    expect(sections).toHaveLength(7);
    expect(sections[0]).toMatchObject({ from: 0, startMs: 0, title: null });
    expect(sections.at(-1)?.to).toBe(sentences.length);
    for (const [i, section] of sections.entries()) {
      expect(sentences[section.from]?.opensParagraph).toBe(true);
      expect(section.startMs).toBe(sentences[section.from]?.startMs);
      if (i > 0) expect(section.from).toBe(sections[i - 1]?.to);
      // 59 minutes over 7 windows: each starts within a minute of k × 59/7 minutes.
      expect(Math.abs((section.startMs ?? 0) - (i * 59 * MINUTE) / 7)).toBeLessThanOrEqual(MINUTE);
    }
  });

  it('makes three sections at least when there are words enough, eight at most', () => {
    expect(plan(lecture({ paragraphs: 10, words: 40 }))).toHaveLength(3);
    expect(plan(lecture({ paragraphs: 180 }))).toHaveLength(8);
  });

  it('makes fewer sections when there are too few words for three', () => {
    expect(plan(lecture({ paragraphs: 4, perParagraph: 2, words: 30 }))).toHaveLength(1);
    expect(plan(lecture({ paragraphs: 60 }), { maxSections: 2 })).toHaveLength(2);
  });

  it('cuts untimed text into equal runs of words, moved to a nearby paragraph start', () => {
    const sentences = lecture({ paragraphs: 40, perParagraph: 5, words: 20, everyMs: null });
    const sections = plan(sentences, { timed: false });
    expect(sections).toHaveLength(3);
    for (const section of sections) {
      expect(section.startMs).toBeNull();
      expect(sentences[section.from]?.opensParagraph).toBe(true);
      expect(Math.abs(section.to - section.from - 200 / 3)).toBeLessThanOrEqual(5);
    }
  });

  it('cuts between sentences when untimed text has no paragraph breaks', () => {
    const sentences = lecture({ paragraphs: 1, perParagraph: 200, words: 20, everyMs: null });
    const sections = plan(sentences, { timed: false });
    expect(sections.map((section) => section.from)).toEqual([0, 67, 133]);
  });

  it('ignores times when told the notes are untimed', () => {
    const sections = plan(lecture({ paragraphs: 60 }), { timed: false });
    expect(sections.every((section) => section.startMs === null)).toBe(true);
  });

  it('falls back to runs of words when times go back (two recordings in one item)', () => {
    const sentences = [...lecture({ paragraphs: 20 }), ...lecture({ paragraphs: 20 })].map((s, index) => ({
      ...s,
      index,
    }));
    const sections = plan(sentences);
    expect(sections.length).toBeGreaterThanOrEqual(3);
    expect(sections.at(-1)?.to).toBe(sentences.length);
  });

  it('sections by chapter, with a section for what comes before the first and none for empty ones', () => {
    const sentences = lecture({ paragraphs: 30 });
    const sections = plan(sentences, {
      chapters: [
        { startMs: 5 * MINUTE, title: 'Intro' },
        { startMs: 5 * MINUTE + 20_000, title: 'No paragraph starts here' },
        { startMs: 5 * MINUTE + 40_000, title: 'Middle' },
        { startMs: 12 * MINUTE + 30_000, title: 'Late' },
        { startMs: 90 * MINUTE, title: 'After the end' },
      ],
    });
    expect(sections.map(({ title, startMs, from }) => ({ title, startMs, from }))).toEqual([
      { title: null, startMs: 0, from: 0 },
      { title: 'Intro', startMs: 5 * MINUTE, from: 15 },
      { title: 'Middle', startMs: 5 * MINUTE + 40_000, from: 18 },
      // The paragraph at 12:00 straddles the mark and stays whole in the earlier chapter.
      { title: 'Late', startMs: 12 * MINUTE + 30_000, from: 39 },
    ]);
    expect(sections.at(-1)?.to).toBe(sentences.length);
  });

  it('has no prelude section when the first chapter starts with the lecture', () => {
    const sections = plan(lecture({ paragraphs: 10 }), { chapters: [{ startMs: 0, title: 'All of it' }] });
    expect(sections).toEqual([{ title: 'All of it', startMs: 0, from: 0, to: 30 }]);
  });

  it('plans nothing for no sentences', () => {
    expect(plan([])).toEqual([]);
  });
});
