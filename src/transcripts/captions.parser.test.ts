import { describe, expect, it } from 'vitest';
import { decodeEntities, detectCaptionFormat, parseCaptions } from './captions.parser.ts';

describe('parseCaptions', () => {
  it('reads SRT with a BOM, CRLF line endings and a final block without a trailing blank line', () => {
    const srt =
      '\uFEFF1\r\n00:00:01,000 --> 00:00:03,500\r\nHello and welcome.\r\n\r\n2\r\n00:01:02,250 --> 01:00:03,005\r\nToday: cells.';
    expect(parseCaptions(srt)).toEqual([
      { startMs: 1000, endMs: 3500, text: 'Hello and welcome.' },
      { startMs: 62_250, endMs: 3_603_005, text: 'Today: cells.' },
    ]);
  });

  it('reads files that use a lone CR as line terminator', () => {
    const srt = '1\r00:00:01,000 --> 00:00:02,000\rFirst.\r\r2\r00:00:02,000 --> 00:00:03,000\rSecond.\r';
    expect(parseCaptions(srt).map((cue) => cue.text)).toEqual(['First.', 'Second.']);
  });

  it('accepts a period in SRT times and a comma in WebVTT times', () => {
    const srt = '1\n00:00:01.500 --> 00:00:02.750\nPeriod millis.\n';
    const vtt = 'WEBVTT\n\n00:00:01,500 --> 00:00:02,750\nComma millis.\n';
    expect(parseCaptions(srt)[0]).toMatchObject({ startMs: 1500, endMs: 2750 });
    expect(parseCaptions(vtt)[0]).toMatchObject({ startMs: 1500, endMs: 2750 });
  });

  it('reads WebVTT times without hours and with more than two hour digits', () => {
    const vtt =
      'WEBVTT\n\n01:02.500 --> 01:04.000\nShort form.\n\n100:00:00.000 --> 100:00:01.000\nLong lecture.\n';
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 62_500, endMs: 64_000, text: 'Short form.' },
      { startMs: 360_000_000, endMs: 360_001_000, text: 'Long lecture.' },
    ]);
  });

  it('does not trust sequence numbers: missing, wrong, or run into the previous cue', () => {
    const srt = [
      '00:00:01,000 --> 00:00:02,000',
      'No number.',
      '',
      '7',
      '00:00:02,000 --> 00:00:03,000',
      'Wrong number.',
      '3',
      '00:00:03,000 --> 00:00:04,000',
      'No blank line before me.',
    ].join('\n');
    expect(parseCaptions(srt).map((cue) => cue.text)).toEqual([
      'No number.',
      'Wrong number.',
      'No blank line before me.',
    ]);
  });

  it('keeps a caption that is only a number when no timing line follows it', () => {
    const srt = '1\n00:00:01,000 --> 00:00:02,000\nThe answer is\n42\n';
    expect(parseCaptions(srt)[0]?.text).toBe('The answer is 42');
  });

  it('skips the WebVTT header, NOTE, STYLE and REGION blocks but not a cue whose id mentions a note', () => {
    const vtt = [
      'WEBVTT - Lecture 3',
      'Kind: captions',
      'Language: en',
      '',
      'STYLE',
      '::cue { color: yellow }',
      '',
      'REGION',
      'id:fred width:40%',
      '',
      'NOTE This file was produced by a captioner',
      'over two lines',
      '',
      'footnote-cue',
      '00:00:01.000 --> 00:00:02.000',
      'Spoken text.',
      '',
      'NOTE between cues',
      '',
      '00:00:02.000 --> 00:00:03.000',
      'More speech.',
    ].join('\n');
    expect(parseCaptions(vtt).map((cue) => cue.text)).toEqual(['Spoken text.', 'More speech.']);
  });

  it('ignores WebVTT cue settings and SRT position suffixes', () => {
    const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start position:10% line:0\nVTT settings.\n';
    const srt = '1\n00:00:01,000 --> 00:00:02,000  X1:40 X2:600 Y1:20 Y2:50\nSRT position.\n';
    expect(parseCaptions(vtt)[0]).toEqual({ startMs: 1000, endMs: 2000, text: 'VTT settings.' });
    expect(parseCaptions(srt)[0]).toEqual({ startMs: 1000, endMs: 2000, text: 'SRT position.' });
  });

  it('strips caption markup and inline timestamps but keeps a literal "<" in speech', () => {
    const vtt = [
      'WEBVTT',
      '',
      '00:00:01.000 --> 00:00:04.000',
      '{\\an8}<i>Italic</i> and <b>bold</b> and <c.yellow.bg_blue>classed</c>',
      '<font color="#ffff00">coloured</font><00:00:03.500> words<br/>when x < y',
    ].join('\n');
    expect(parseCaptions(vtt)[0]?.text).toBe('Italic and bold and classed coloured words when x < y');
  });

  it('moves a voice span to the speaker, with or without classes and a closing tag', () => {
    const vtt =
      'WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dr. Ada Lovelace>Good morning.</v>\n\n00:02.000 --> 00:03.000\n<v.loud Bob>Hi!\n';
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 1000, endMs: 2000, text: 'Good morning.', speaker: 'Dr. Ada Lovelace' },
      { startMs: 2000, endMs: 3000, text: 'Hi!', speaker: 'Bob' },
    ]);
  });

  it('decodes HTML entities once, after removing tags', () => {
    const srt =
      '1\n00:00:01,000 --> 00:00:02,000\nR&amp;D &lt;i&gt; &gt;&gt; caf&#233; &#x2014;&nbsp;ok &amp;lt;\n';
    expect(parseCaptions(srt)[0]?.text).toBe('R&D <i> >> café — ok &lt;');
  });

  it('reads a Zoom-style "Name: text" prefix as the speaker and keeps the rest as text', () => {
    const vtt = [
      'WEBVTT',
      '',
      '1',
      '00:00:01.000 --> 00:00:03.000',
      'Maria de Souza: Let us begin with the quiz.',
      '',
      '2',
      '00:00:03.000 --> 00:00:05.000',
      'Speaker 2: Okay.',
      '',
      '3',
      '00:00:05.000 --> 00:00:07.000',
      "So here's the thing: osmosis is passive.",
    ].join('\n');
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 1000, endMs: 3000, text: 'Let us begin with the quiz.', speaker: 'Maria de Souza' },
      { startMs: 3000, endMs: 5000, text: 'Okay.', speaker: 'Speaker 2' },
      { startMs: 5000, endMs: 7000, text: "So here's the thing: osmosis is passive." },
    ]);
  });

  it('reads single-word names as speakers only in files where most cues are labelled', () => {
    const labelled = [1, 2, 3]
      .map((n) => `${n}\n00:00:0${n},000 --> 00:00:0${n},900\n${n === 2 ? 'Priya' : 'Tom'}: Line ${n}.`)
      .join('\n\n');
    expect(parseCaptions(labelled).map((cue) => cue.speaker)).toEqual(['Tom', 'Priya', 'Tom']);
  });

  it('removes rolling ASR repeats, including word-by-word growth and zero-length duplicates', () => {
    const vtt = [
      'WEBVTT',
      '',
      '00:00:00.000 --> 00:00:02.000 align:start position:0%',
      'hello<00:00:00.500><c> everyone</c>',
      '',
      '00:00:02.000 --> 00:00:02.010',
      'hello everyone',
      '',
      '00:00:02.010 --> 00:00:04.000',
      'hello everyone',
      'welcome<00:00:02.500><c> to</c><00:00:03.000><c> biology</c>',
      '',
      '00:00:04.000 --> 00:00:06.000',
      'welcome to biology',
      'today we look at membranes',
    ].join('\n');
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 0, endMs: 2010, text: 'hello everyone' },
      { startMs: 2010, endMs: 4000, text: 'welcome to biology' },
      { startMs: 4000, endMs: 6000, text: 'today we look at membranes' },
    ]);
  });

  it('keeps a repeat of several words when the cues are far apart in time', () => {
    const srt = [
      '1\n00:00:00,000 --> 00:00:02,000\nthe cell membrane is',
      '2\n00:00:10,000 --> 00:00:12,000\nthe cell membrane is a barrier',
    ].join('\n\n');
    expect(parseCaptions(srt).map((cue) => cue.text)).toEqual([
      'the cell membrane is',
      'the cell membrane is a barrier',
    ]);
  });

  it('removes a rolling repeat of several words when the next cue follows within a second', () => {
    const srt = [
      '1\n00:00:00,000 --> 00:00:02,000\nthe cell membrane is',
      '2\n00:00:02,500 --> 00:00:04,000\nthe cell membrane is a barrier',
    ].join('\n\n');
    expect(parseCaptions(srt).map((cue) => cue.text)).toEqual(['the cell membrane is', 'a barrier']);
  });

  it('keeps genuine short repetitions across cue boundaries', () => {
    const srt = [
      '1\n00:00:01,000 --> 00:00:02,000\nThis is very, very',
      '2\n00:00:02,000 --> 00:00:03,000\nvery important.',
      '3\n00:00:10,000 --> 00:00:11,000\nThank you.',
      '4\n00:00:20,000 --> 00:00:21,000\nThank you.',
    ].join('\n\n');
    expect(parseCaptions(srt).map((cue) => cue.text)).toEqual([
      'This is very, very',
      'very important.',
      'Thank you.',
      'Thank you.',
    ]);
  });

  it('joins multi-line payloads, drops cues with no text and sorts by start time', () => {
    const srt = [
      '1\n00:00:05,000 --> 00:00:06,000\nsecond',
      '2\n00:00:01,000 --> 00:00:02,000\nfirst line\n  of the first cue  ',
      '3\n00:00:03,000 --> 00:00:04,000\n<i></i>',
      '4\n00:00:07,000 --> 00:00:06,000\nend before start',
    ].join('\n\n');
    expect(parseCaptions(srt)).toEqual([
      { startMs: 1000, endMs: 2000, text: 'first line of the first cue' },
      { startMs: 5000, endMs: 6000, text: 'second' },
      { startMs: 7000, endMs: 7000, text: 'end before start' },
    ]);
  });

  it('returns no cues for text that is not captions', () => {
    expect(parseCaptions('')).toEqual([]);
    expect(parseCaptions('<!DOCTYPE html><html><body>Sign in</body></html>')).toEqual([]);
    expect(parseCaptions('>> Machine learning is the art of solving\nyour computation problem')).toEqual([]);
  });
});

describe('detectCaptionFormat', () => {
  it.each([
    ['WEBVTT\n\n00:01.000 --> 00:02.000\nx', 'vtt'],
    ['\uFEFFWEBVTT\n\n00:01.000 --> 00:02.000\nx', 'vtt'],
    ['00:00:01.000 --> 00:00:02.000\nheader-less vtt', 'vtt'],
    ['1\n00:00:01,000 --> 00:00:02,000\nx', 'srt'],
    ['just words', null],
  ] as const)('detects %j as %s', (text, format) => {
    expect(detectCaptionFormat(text)).toBe(format);
  });
});

describe('decodeEntities', () => {
  it('leaves unknown and malformed entities alone', () => {
    expect(decodeEntities('&bogus; &#xZZ; & &#0;')).toBe('&bogus; &#xZZ; & &#0;');
  });
});
