import { describe, expect, it } from 'vitest';
import { withTitle } from './notes.format.ts';
import { checkTimes } from './notes.times.ts';

const range = { startMs: 5_200, endMs: 3_600_000 + 125_000 };
const link = (seconds: number) => `https://v.example/watch?id=a&start=${seconds}`;

describe('checkTimes', () => {
  it('keeps times inside the range, in whole seconds, and links them', () => {
    const notes = '## [00:00:05] Start\n- first [0:12:30]\n- late [01:02:05]\n- mm:ss [12:31]';
    const { markdown, kept, dropped } = checkTimes(notes, range, link);
    expect(markdown).toBe(
      [
        `## [00:00:05](${link(5)}) Start`,
        `- first [00:12:30](${link(750)})`,
        `- late [01:02:05](${link(3725)})`,
        `- mm:ss [00:12:31](${link(751)})`,
      ].join('\n'),
    );
    expect({ kept, dropped }).toEqual({ kept: 4, dropped: 0 });
  });

  it('drops times before the first cue or after the last, and the space they leave', () => {
    const notes =
      '## [00:00:04] Too early\n- invented [02:00:00].\n- fine [00:30:00]\n- (at 03:00:00) old form';
    const { markdown, kept, dropped } = checkTimes(notes, range, null);
    expect(markdown).toBe('## Too early\n- invented.\n- fine [00:30:00]\n- old form');
    expect({ kept, dropped }).toEqual({ kept: 1, dropped: 3 });
  });

  it('reads the "(at hh:mm:ss)" form and replaces a link the model made up', () => {
    const notes = '- point (at 00:10:00)\n- linked [00:11:00](https://evil.example/x)';
    expect(checkTimes(notes, range, link).markdown).toBe(
      `- point [00:10:00](${link(600)})\n- linked [00:11:00](${link(660)})`,
    );
  });

  it('checks ranges, parenthesised and bare times too, a range shown as its start', () => {
    const notes = [
      '- a span [00:01:00–00:02:00]',
      '- another [00:01:00 - 00:02:00] and (00:03:00)',
      '- bare 0:04:00 and late 09:59:00, a clock 10:30',
      '- out of range [05:00:00 to 05:01:00] (07:00:00)',
    ].join('\n');
    const { markdown, kept, dropped } = checkTimes(notes, range, null);
    expect(markdown).toBe(
      [
        '- a span [00:01:00]',
        '- another [00:01:00] and [00:03:00]',
        '- bare [00:04:00] and late, a clock 10:30',
        '- out of range',
      ].join('\n'),
    );
    expect({ kept, dropped }).toEqual({ kept: 4, dropped: 3 });
  });

  it('changes nothing but the times on a line that has some', () => {
    const notes = '- Call `main()` here  [00:01:00], or  `f( )` [09:00:00]';
    expect(checkTimes(notes, range, null).markdown).toBe('- Call `main()` here  [00:01:00], or  `f( )`');
  });

  it('takes every time out of a reading', () => {
    const { markdown, dropped } = checkTimes('## [00:00:10] Intro\n- a [00:00:20] b', null, link);
    expect(markdown).toBe('## Intro\n- a b');
    expect(dropped).toBe(2);
  });

  it('leaves code blocks, ordinary brackets and task boxes alone', () => {
    const notes = '```\nlog [00:99:00] [09:00:00]\n```\n- [ ] todo\n- array[1:2] and [note]';
    expect(checkTimes(notes, range, link)).toEqual({ markdown: notes, kept: 0, dropped: 0 });
  });

  it('encodes characters that would end a Markdown link early', () => {
    const odd = () => 'https://v.example/a (b)';
    expect(checkTimes('- x [00:00:10]', range, odd).markdown).toBe(
      '- x [00:00:10](https://v.example/a%20%28b%29)',
    );
  });
});

describe('withTitle', () => {
  it("gives notes without a level-1 heading the item's title, and keeps one the notes have", () => {
    expect(withTitle('## Overview\nText', ' Lecture\n 3 ')).toBe('# Lecture 3\n\n## Overview\nText');
    expect(withTitle('\n# Own title\n\n## Overview', 'Lecture')).toBe('# Own title\n\n## Overview');
    expect(withTitle('#hashtag first', 'Lecture')).toBe('# Lecture\n\n#hashtag first');
  });
});
