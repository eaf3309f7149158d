import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCaptions } from './captions.parser.ts';

// Shapes from the hosts' own files: YouTube ASR as yt-dlp saves it (yt-dlp#1734, youtube-dl#21914),
// Zoom's TRANSCRIPT track (reference §C), Panopto's GenerateSRT.ashx (reference §B2).
describe('parseCaptions on real-world caption files', () => {
  it('reads a YouTube ASR track once, from the first words on, despite its padding lines', () => {
    const vtt = [
      'WEBVTT',
      'Kind: captions',
      'Language: en',
      '',
      '00:00:00.160 --> 00:00:03.429 align:start position:0%',
      ' ',
      'welcome<00:00:00.960><c> to</c><00:00:01.520><c> the</c><00:00:02.159><c> series</c><00:00:02.560><c> on</c><00:00:02.720><c> neural</c>',
      '',
      '00:00:03.429 --> 00:00:03.439 align:start position:0%',
      'welcome to the series on neural',
      ' ',
      '',
      '00:00:03.439 --> 00:00:05.749 align:start position:0%',
      'welcome to the series on neural',
      'network<00:00:03.760><c> programming</c><00:00:04.000><c> with</c><00:00:04.160><c> pytorch</c>',
      '',
      '00:00:05.749 --> 00:00:05.759 align:start position:0%',
      'network programming with pytorch',
      ' ',
      '',
      '00:00:05.759 --> 00:00:08.400 align:start position:0%',
      'network programming with pytorch',
      'in<00:00:06.000><c> this</c><00:00:06.300><c> episode</c>',
      '',
      '00:00:08.400 --> 00:00:08.410 align:start position:0%',
      'in this episode',
      ' ',
      '',
    ].join('\n');
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 160, endMs: 3439, text: 'welcome to the series on neural' },
      { startMs: 3439, endMs: 5759, text: 'network programming with pytorch' },
      { startMs: 5759, endMs: 8410, text: 'in this episode' },
    ]);
  });

  it('reads a Zoom transcript: numbered cues whose text starts with the speaker', () => {
    const vtt = [
      'WEBVTT',
      '',
      '1',
      '00:00:02.460 --> 00:00:05.130',
      'Priya Natarajan: Okay, can everyone see my screen?',
      '',
      '2',
      '00:00:06.240 --> 00:00:08.990',
      "Tom O'Brien: Yes, we can see it.",
      '',
      '3',
      '00:00:09.510 --> 00:00:15.870',
      'Priya Natarajan: Great. Today: the Krebs cycle, and question one: where does it happen?',
      '',
    ].join('\n');
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 2460, endMs: 5130, speaker: 'Priya Natarajan', text: 'Okay, can everyone see my screen?' },
      { startMs: 6240, endMs: 8990, speaker: "Tom O'Brien", text: 'Yes, we can see it.' },
      {
        startMs: 9510,
        endMs: 15_870,
        speaker: 'Priya Natarajan',
        text: 'Great. Today: the Krebs cycle, and question one: where does it happen?',
      },
    ]);
  });

  it('reads a Panopto SRT with a BOM, CRLF, a two-line cue and trailing blank lines', () => {
    const srt = [
      '\uFEFF1',
      '00:00:00,000 --> 00:00:04,160',
      "Good morning, everyone. Let's get started.",
      '',
      '2',
      '00:00:04,160 --> 00:00:09,020',
      'Last week we looked at enzymes;',
      'today, membranes.',
      '',
      '3',
      '00:00:09,020 --> 00:00:12,500',
      '[MUSIC]',
      '',
      '',
      '',
    ].join('\r\n');
    expect(parseCaptions(srt)).toEqual([
      { startMs: 0, endMs: 4160, text: "Good morning, everyone. Let's get started." },
      { startMs: 4160, endMs: 9020, text: 'Last week we looked at enzymes; today, membranes.' },
      { startMs: 9020, endMs: 12_500, text: '[MUSIC]' },
    ]);
  });

  it('skips STYLE, REGION and NOTE blocks and keeps every cue whatever its id or settings say', () => {
    const vtt = [
      'WEBVTT - Week 3: Membranes',
      '',
      'STYLE',
      '::cue(.instructor) { color: yellow }',
      '',
      'REGION',
      'id:notes width:40% lines:3 regionanchor:0%,100% viewportanchor:10%,90%',
      '',
      'NOTE',
      'Exported from the lecture capture system.',
      '',
      'intro',
      '00:00:01.000 --> 00:00:04.000 region:notes align:left',
      '<v.instructor Dr. Chen>Welcome back.</v>',
      '',
      'slide-2 notes',
      '00:00:04.000 --> 00:00:07.500',
      'This slide has the notes for the exam.',
      '',
      'NOTE speaker changes here',
      '',
      'Region Summary',
      '00:00:07.500 --> 00:00:10.000 line:85%',
      '<c.student>Will this be on the exam?</c>',
      '',
      '00:00:10.000 --> 00:00:12.000 region:notes',
      'Yes.',
    ].join('\n');
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 1000, endMs: 4000, speaker: 'Dr. Chen', text: 'Welcome back.' },
      { startMs: 4000, endMs: 7500, text: 'This slide has the notes for the exam.' },
      { startMs: 7500, endMs: 10_000, text: 'Will this be on the exam?' },
      { startMs: 10_000, endMs: 12_000, text: 'Yes.' },
    ]);
  });

  it('reads a WebVTT track that lost its header by its period times', () => {
    const vtt = '00:00:01.500 --> 00:00:02.750\nNo header.\n\n00:00:02.750 --> 00:00:04.000\nStill WebVTT.\n';
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 1500, endMs: 2750, text: 'No header.' },
      { startMs: 2750, endMs: 4000, text: 'Still WebVTT.' },
    ]);
  });

  it('reads a WebVTT file whose lines end in a lone CR, multi-line payloads included', () => {
    const vtt =
      'WEBVTT\r\r00:01.000 --> 00:02.000\rFirst line\rsecond line\r\r00:02.000 --> 00:03.000\rNext.\r';
    expect(parseCaptions(vtt)).toEqual([
      { startMs: 1000, endMs: 2000, text: 'First line second line' },
      { startMs: 2000, endMs: 3000, text: 'Next.' },
    ]);
  });

  it('drops an SRT cue without text and keeps the cue after it whole', () => {
    const srt = [
      '1\n00:00:01,000 --> 00:00:03,000\nFirst.',
      '2\n00:00:03,000 --> 00:00:04,000',
      '3\n00:00:04,000 --> 00:00:06,000\nThird.',
      '4\n00:00:06,000 --> 00:00:07,000\n',
    ].join('\n\n');
    expect(parseCaptions(srt)).toEqual([
      { startMs: 1000, endMs: 3000, text: 'First.' },
      { startMs: 4000, endMs: 6000, text: 'Third.' },
    ]);
  });

  it('decodes &amp;, &#39; and &nbsp; and strips <i> and <font> tags in SRT', () => {
    const srt = [
      '1\n00:00:01,000 --> 00:00:04,000\n<i>Fish &amp; chips</i> isn&#39;t&nbsp;lunch.',
      '2\n00:00:04,000 --> 00:00:06,000\n<font color="#ffff00">Q&amp;A</font> <font face="Arial" size="24">after class</font>',
    ].join('\n\n');
    expect(parseCaptions(srt).map((cue) => cue.text)).toEqual([
      "Fish & chips isn't lunch.",
      'Q&A after class',
    ]);
  });
});

// Real lecture captions as Panopto's caption panel gives them, read in place: CI provides this
// folder and the files must not be copied into the repository.
describe('parseCaptions on the real lectures in ../shared/data/lectures', () => {
  const lecturesDir = path.resolve(process.cwd(), '../shared/data/lectures');
  const lectures = ['ml-module-1.txt', 'ml-module-3.txt', 'ml-module-5.txt'].map((file) => {
    const raw = readFileSync(path.join(lecturesDir, file), 'utf8');
    return {
      file,
      raw,
      lines: raw
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean),
    };
  });
  const stamp = (ms: number, separator: string) =>
    `${new Date(ms).toISOString().slice(11, 19)}${separator}${String(ms % 1000).padStart(3, '0')}`;
  const words = (texts: string[]) => texts.join(' ').split(/\s+/);

  it.each(lectures)('$file has no timing lines, so it is not captions', ({ raw }) => {
    expect(parseCaptions(raw)).toEqual([]);
  });

  it.each(lectures)('$file as a Panopto SRT (one cue per line) keeps every cue and word', ({ lines }) => {
    const srt = `\uFEFF${lines
      .map(
        (line, i) => `${i + 1}\r\n${stamp(i * 2000, ',')} --> ${stamp(i * 2000 + 2000, ',')}\r\n${line}\r\n`,
      )
      .join('\r\n')}`;
    const cues = parseCaptions(srt);
    expect(cues.map((cue) => cue.startMs)).toEqual(lines.map((_, i) => i * 2000));
    expect(cues.map((cue) => cue.text)).toEqual(lines);
  });

  it.each(lectures)('$file as a YouTube rolling track reads every word once, in order', ({ lines }) => {
    const vtt = ['WEBVTT', 'Kind: captions', 'Language: en', ''];
    for (const [i, line] of lines.entries()) {
      const start = i * 2000;
      const timed = line
        .split(' ')
        .map((word, k) => (k === 0 ? word : `<${stamp(start + k * 100, '.')}><c> ${word}</c>`))
        .join('');
      const cue = `${stamp(start + 10, '.')} --> ${stamp(start + 2000, '.')} align:start position:0%`;
      const hold = `${stamp(start + 2000, '.')} --> ${stamp(start + 2010, '.')} align:start position:0%`;
      vtt.push(cue, lines[i - 1] ?? ' ', timed, '', hold, line, ' ', '');
    }
    const cues = parseCaptions(vtt.join('\n'));
    expect(cues[0]?.startMs).toBe(10);
    expect(words(cues.map((cue) => cue.text))).toEqual(words(lines));
  });
});
