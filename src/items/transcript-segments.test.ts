import { describe, expect, it } from 'vitest';
import { cuesToTranscript, normalizePlainCaptions } from '../transcripts/transcript.normalizer.ts';
import { parseTranscriptSegments } from './transcript-segments.ts';

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
