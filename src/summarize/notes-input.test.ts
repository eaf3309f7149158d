import { describe, expect, it } from 'vitest';
import { renderSection, renderTranscript } from '../transcripts/transcript.render.ts';
import { notesFromCues, notesFromText } from './notes-input.ts';

const cue = (startMs: number, text: string) => ({ startMs, endMs: startMs + 2_000, text });

function cuesJson(
  sources: Array<{ provider: string; timed: boolean; chapters?: Array<{ startMs: number; title: string }> }>,
) {
  const sections = sources.map((source, index) =>
    renderSection({
      source: { provider: source.provider, ref: `ref-${index}`, title: null, url: `https://host/${index}` },
      fetched: {
        timed: source.timed,
        chapters: source.chapters,
        cues: [cue(3_000, 'First words of the lecture.'), cue(61_000, 'Much later words.')],
      },
    }),
  );
  return renderTranscript(7, sections).json;
}

describe('notesFromCues', () => {
  it("reads a recording's paragraphs, chapters and range from the cues file", () => {
    const json = cuesJson([
      { provider: 'panopto', timed: true, chapters: [{ startMs: 60_000, title: 'Later' }] },
    ]);
    const document = notesFromCues('Lecture', json);
    expect(document?.input).toEqual({
      title: 'Lecture',
      kind: 'recording',
      // Short cues make one paragraph, timed by its first cue.
      segments: [{ startMs: 3_000, text: 'First words of the lecture. Much later words.' }],
      chapters: [{ startMs: 60_000, title: 'Later' }],
      range: { startMs: 0, endMs: 63_000 },
    });
    expect(document?.source).toEqual({ provider: 'panopto', ref: 'ref-0', url: 'https://host/0' });
  });

  it('links no recording when an item holds two, and keeps neither one’s chapters', () => {
    const json = cuesJson([
      { provider: 'panopto', timed: true, chapters: [{ startMs: 0, title: 'A' }] },
      { provider: 'youtube', timed: true },
    ]);
    const document = notesFromCues('Two', json);
    expect(document?.source).toBeNull();
    expect(document?.input.chapters).toEqual([]);
    expect(document?.input.kind).toBe('recording');
  });

  it('makes a reading of untimed text', () => {
    const document = notesFromCues('Reading', cuesJson([{ provider: 'reading', timed: false }]));
    expect(document?.input.kind).toBe('reading');
    expect(document?.input.range).toBeNull();
    expect(document?.input.segments.every((segment) => segment.startMs === null)).toBe(true);
  });

  it('refuses what is not a cues file we wrote', () => {
    expect(notesFromCues('x', 'not json')).toBeNull();
    expect(notesFromCues('x', '{"version":2,"sources":[]}')).toBeNull();
    expect(notesFromCues('x', '{"version":1,"sources":[]}')).toBeNull();
  });
});

describe('notesFromText', () => {
  it('times paragraphs by their markers, the range ending at the last one', () => {
    expect(notesFromText('T', '[00:00:05] One.\n\n[00:01:00] Two.')).toEqual({
      title: 'T',
      kind: 'recording',
      segments: [
        { startMs: 5_000, text: 'One.' },
        { startMs: 60_000, text: 'Two.' },
      ],
      chapters: [],
      range: { startMs: 0, endMs: 60_000 },
    });
    expect(notesFromText('T', 'Plain words.').kind).toBe('reading');
  });
});
