import { describe, expect, it } from 'vitest';
import { parseCaptions } from '../captions.parser.ts';
import {
  captionLinesToSrt,
  languageTag,
  orderLanguages,
  readChapters,
  readDeliveryAnswer,
} from './panopto.delivery.ts';

// Panopto codes: 0 en-US, 1 en-GB, 4 de-DE, 5 fr-FR; 99 stands for a track outside the map ("Default").
describe('orderLanguages', () => {
  it.each([
    ['keeps Panopto’s order without preferences', [0, 99, 4, 5], [], [0, 99, 4, 5]],
    ['puts an exact match first', [0, 4, 5], ['fr-FR'], [5, 0, 4]],
    ['matches a bare language to its regional track', [0, 4, 5], ['de'], [4, 0, 5]],
    ['matches another region of the same language', [0, 4], ['de-AT'], [4, 0]],
    [
      'prefers the exact region, then the language, before the next preference',
      [1, 4, 0],
      ['en-US', 'de'],
      [0, 1, 4],
    ],
    ['follows the preferences in order', [0, 4, 5], ['fr', 'de'], [5, 4, 0]],
    ['ignores case and preferences nothing matches', [0, 4], ['JA', 'DE-de'], [4, 0]],
  ])('%s', (_case, available, preferred, expected) => {
    expect(orderLanguages(available, preferred)).toEqual(expected);
  });
});

describe('languageTag', () => {
  it('maps Panopto codes to BCP 47 and has none for codes outside core.js', () => {
    expect([0, 4, 15, 21, 99].map(languageTag)).toEqual(['en-US', 'de-DE', 'en-AU', 'it-IT', null]);
  });
});

describe('readDeliveryAnswer', () => {
  it('reads a Delivery with its languages, duration and chapters', () => {
    const answer = readDeliveryAnswer({
      Delivery: { Duration: 88.17, AvailableLanguages: [0, '4', 0, 'x'], Timestamps: [] },
      InvocationId: 'x',
    });
    expect(answer).toEqual({
      kind: 'delivery',
      delivery: { durationSeconds: 88.17, languages: [0, 4], chapters: [] },
    });
  });

  it('falls back to AvailableCaptions, and says when no languages are listed at all', () => {
    expect(readDeliveryAnswer({ Delivery: { AvailableCaptions: [{ Language: 5 }, null] } })).toMatchObject({
      delivery: { languages: [5], durationSeconds: null },
    });
    expect(readDeliveryAnswer({ Delivery: {} })).toMatchObject({ delivery: { languages: null } });
  });

  it('reads ErrorCode answers, caption arrays and anything else', () => {
    expect(readDeliveryAnswer({ ErrorCode: 2, ErrorMessage: 'Sign in' })).toEqual({
      kind: 'error',
      code: 2,
      message: 'Sign in',
    });
    expect(readDeliveryAnswer({ ErrorCode: null, Delivery: {} })).toMatchObject({ kind: 'delivery' });
    expect(readDeliveryAnswer([{ Caption: 'a', Time: 1 }])).toEqual({
      kind: 'captions',
      lines: [{ Caption: 'a', Time: 1 }],
    });
    for (const other of [null, 'text', 3, { Delivery: null }, {}])
      expect(readDeliveryAnswer(other)).toEqual({ kind: 'unknown' });
  });
});

describe('readChapters', () => {
  it('keeps table-of-contents entries in time order and tolerates missing fields', () => {
    expect(
      readChapters([
        { Caption: 'Questions', Time: 600.4, ShowInTableOfContents: true },
        { Caption: ' Intro\n', Time: 0, ShowInTableOfContents: true },
        { Caption: 'Slide 3', Time: 90, ShowInTableOfContents: false, EventTargetType: 'PowerPoint' },
        { Caption: 'No time', ShowInTableOfContents: true },
        { Time: 30, ShowInTableOfContents: true },
        { Caption: 'Intro', Time: 0, ShowInTableOfContents: true },
        'junk',
        null,
      ]),
    ).toEqual([
      { startMs: 0, title: 'Intro' },
      { startMs: 600_400, title: 'Questions' },
    ]);
    expect(readChapters(undefined)).toEqual([]);
  });
});

describe('captionLinesToSrt', () => {
  it('ends a line at its Duration, else at the next line, the last at the session end', () => {
    const srt = captionLinesToSrt(
      [
        { Caption: 'third', Time: 7.5 },
        { Caption: 'first', Time: 1, Duration: 2 },
        { Caption: 'second', Time: 4 },
        { Caption: 'no time' },
        { Caption: '   ', Time: 9 },
      ],
      10,
    );
    expect(parseCaptions(srt)).toEqual([
      { startMs: 1000, endMs: 3000, text: 'first' },
      { startMs: 4000, endMs: 7500, text: 'second' },
      { startMs: 7500, endMs: 10_000, text: 'third' },
    ]);
  });

  it('keeps a caption with blank lines or an arrow in one cue, and cleans it like any caption file', () => {
    const srt = captionLinesToSrt(
      [{ Caption: 'a --> b\n\n<i>c</i> &amp; d', Time: 3661.25, Duration: 1 }],
      null,
    );
    expect(parseCaptions(srt)).toEqual([{ startMs: 3_661_250, endMs: 3_662_250, text: 'a -> b c & d' }]);
  });
});
