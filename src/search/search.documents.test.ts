import { describe, expect, it } from 'vitest';
import { indexText, notesRows, transcriptRows } from './search.documents.ts';

describe('transcriptRows', () => {
  it('gives one row per paragraph, timed only where its recording is', () => {
    const rows = transcriptRows([
      {
        timed: true,
        paragraphs: [
          { startMs: 1_500, text: 'Welcome to the\nlecture.' },
          { startMs: 61_000, text: '   ' },
        ],
      },
      { timed: false, paragraphs: [{ startMs: 0, text: 'A reading.' }] },
    ]);
    expect(rows).toEqual([
      { startMs: 1_500, text: 'Welcome to the lecture.' },
      { startMs: null, text: 'A reading.' },
    ]);
  });
});

describe('indexText', () => {
  it('drops the characters that stand for <mark> in snippets', () => {
    expect(indexText('fake \uE000mark\uE001 here')).toBe('fake mark here');
  });
});

describe('notesRows', () => {
  it('gives one row per ## section, with the time its heading names, linked or not', () => {
    const markdown = [
      '# Lecture 1',
      '',
      '_12 sentences quoted from the transcript, not written by a language model_',
      '',
      '## Overview',
      'Membranes and their **channels**.',
      '',
      '## [00:05:00](https://x.panopto.com/Viewer.aspx?id=1&start=300) The bilayer',
      '- Phospholipids form [two layers](https://example.org/bilayer) [00:06:10](https://x/y)',
      '- **Ion channel**: a pore [00:07:00]',
      '',
      '## [01:02:03] Late topic',
      '1. First point',
      '',
      '## Key terms',
      'phospholipid, bilayer',
    ].join('\n');
    expect(notesRows(markdown)).toEqual([
      { startMs: null, text: 'Overview · Membranes and their channels.' },
      {
        startMs: 300_000,
        text: 'The bilayer · Phospholipids form two layers · Ion channel: a pore',
      },
      { startMs: 3_723_000, text: 'Late topic · First point' },
      { startMs: null, text: 'Key terms · phospholipid, bilayer' },
    ]);
  });

  it('does not split at a ## line inside a code fence', () => {
    const rows = notesRows(['## Code', '```', '## not a heading', '```'].join('\n'));
    expect(rows).toEqual([{ startMs: null, text: 'Code · not a heading' }]);
  });

  it('indexes notes without sections as one untimed row, without the title line', () => {
    expect(notesRows('# Title\n\n- one point\n- another')).toEqual([
      { startMs: null, text: 'one point · another' },
    ]);
  });
});
