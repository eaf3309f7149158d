import { describe, expect, it } from 'vitest';
import { cuesToTranscript, normalizePlainCaptions } from '../transcripts/transcript.normalizer.ts';
import { CUES_FORMAT_VERSION } from '../transcripts/transcript.render.ts';
import { parseTranscriptSegments, segmentsFromCues } from './transcript-segments.ts';

describe('parseTranscriptSegments', () => {
  it('reads one segment per paragraph with the time of its marker', () => {
    const text = '[00:00:03] Good morning.\n\n[00:01:15] Maria: Membranes are bilayers.\n\n[01:02:09] Done.';
    expect(parseTranscriptSegments(text)).toEqual([
      { startMs: 3_000, start: '00:00:03', text: 'Good morning.' },
      { startMs: 75_000, start: '00:01:15', text: 'Maria: Membranes are bilayers.' },
      { startMs: 3_729_000, start: '01:02:09', text: 'Done.' },
    ]);
  });

  it('reads back exactly the times the normalizer wrote, hours past 99 included', () => {
    const transcript = cuesToTranscript([
      { startMs: 1_500, endMs: 3_000, text: 'First sentence here.' },
      { startMs: 20_000, endMs: 22_000, text: '>> Second speaker now.' },
      { startMs: 360_061_000, endMs: 360_062_000, text: '>> Much later.' },
    ]);
    const segments = parseTranscriptSegments(transcript.text);
    expect(segments.map((segment) => segment.startMs)).toEqual([1_000, 20_000, 360_061_000]);
    expect(segments.map((segment) => segment.start)).toEqual(['00:00:01', '00:00:20', '100:01:01']);
    expect(segments.map((segment) => segment.text)).toEqual([
      'First sentence here.',
      'Second speaker now.',
      'Much later.',
    ]);
  });

  it('gives null times to paragraphs of a transcript made from captions without times', () => {
    const transcript = normalizePlainCaptions('Hello there.\n\n>> A new speaker says hi.');
    expect(parseTranscriptSegments(transcript.text)).toEqual([
      { startMs: null, start: null, text: 'Hello there.' },
      { startMs: null, start: null, text: 'A new speaker says hi.' },
    ]);
  });

  it('ignores blank paragraphs, CRLF line ends and a byte-order mark', () => {
    expect(parseTranscriptSegments('\uFEFF[00:00:01] One.\r\n\r\n\r\n\r\n[00:00:02] Two.\r\n')).toEqual([
      { startMs: 1_000, start: '00:00:01', text: 'One.' },
      { startMs: 2_000, start: '00:00:02', text: 'Two.' },
    ]);
    expect(parseTranscriptSegments('')).toEqual([]);
  });

  it('leaves a bracket that is not a time marker in the text', () => {
    expect(parseTranscriptSegments('[00:75:00] Not a time.')).toEqual([
      { startMs: null, start: null, text: '[00:75:00] Not a time.' },
    ]);
  });
});

describe('segmentsFromCues', () => {
  const source = (ref: string, timed: boolean, startMs: number | null) => ({
    provider: timed ? 'panopto' : 'reading',
    ref,
    title: null as string | null,
    url: `https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${ref}`,
    timed,
    language: null,
    chapters: [],
    cues: [{ start_ms: startMs, end_ms: startMs === null ? null : startMs + 1_000, text: 'Words.' }],
    paragraphs: [{ start_ms: startMs, text: 'Words.' }],
  });
  const cues = (...sources: ReturnType<typeof source>[]) =>
    JSON.stringify({ version: CUES_FORMAT_VERSION, item_id: 1, sources });

  it('names the one timed recording the times refer to, beside any untimed text', () => {
    const read = segmentsFromCues(cues(source('a', true, 2_500), source('page', false, null)));
    expect(read?.timedSource).toEqual({
      provider: 'panopto',
      ref: 'a',
      url: 'https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=a',
    });
    expect(read?.segments).toEqual([
      { startMs: 2_500, start: '00:00:02', text: 'Words.', source: 0 },
      { startMs: null, start: null, text: 'Words.', source: 1 },
    ]);
  });

  it('names no recording when the item holds several, since each starts at 00:00:00', () => {
    const read = segmentsFromCues(cues(source('a', true, 1_000), source('b', true, 1_000)));
    expect(read?.segments).toHaveLength(2);
    expect(read?.timedSource).toBeNull();
    expect(segmentsFromCues(cues(source('page', false, null)))?.timedSource).toBeNull();
  });

  it("tells each segment's recording, and heads the recordings as the text does", () => {
    const twice = (ref: string, title: string | null) => ({
      ...source(ref, true, 0),
      title,
      paragraphs: [
        { start_ms: 0, text: `${ref} starts.` },
        { start_ms: 4_000, text: `${ref} goes on.` },
      ],
    });
    const read = segmentsFromCues(
      cues(twice('a', 'Lecture 2'), twice('b', null), source('page', false, null)),
    );
    expect(read?.segments.map((segment) => [segment.start, segment.text, segment.source])).toEqual([
      ['00:00:00', 'a starts.', 0],
      ['00:00:04', 'a goes on.', 0],
      ['00:00:00', 'b starts.', 1],
      ['00:00:04', 'b goes on.', 1],
      [null, 'Words.', 2],
    ]);
    expect(read?.sources).toEqual([
      { heading: 'Lecture 2', provider: 'panopto', url: expect.stringContaining('id=a') },
      { heading: 'Recording 2', provider: 'panopto', url: expect.stringContaining('id=b') },
      { heading: 'Reading 3', provider: 'reading', url: expect.stringContaining('id=page') },
    ]);
  });

  it('reads nothing from a file that is not a cues document', () => {
    expect(segmentsFromCues('{"version":99,"sources":[]}')).toBeNull();
  });
});
