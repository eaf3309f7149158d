import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { createOfflineSummarizer } from './offline.summarizer.ts';

const LECTURES = path.resolve(process.cwd(), '../shared/data/lectures/');
const readLecture = (name: string) => readFileSync(path.join(LECTURES, `${name}.txt`), 'utf8');

/** The transcript as a reader sees it: no caption noise or markers, one space between words. */
function squashed(text: string): string {
  return text
    .replace(/\[\d{2}:\d{2}:\d{2}\]|\[MUSIC\]|>>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
const cleaned = (text: string) => squashed(text).toLowerCase();

function section(notes: string, heading: string): string[] {
  const body = notes.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  return body.split('\n').filter((line) => line.trim() !== '');
}

/** Key points without the bullet, the time suffix and Markdown escapes. */
function keyPoints(notes: string): Array<{ text: string; at: string | undefined }> {
  return section(notes, 'Key points').map((line) => {
    const match = /^- (.*?)(?: \(at (\d{2}:\d{2}:\d{2})\))?$/.exec(line);
    return { text: (match?.[1] ?? line).replace(/\\(.)/g, '$1'), at: match?.[2] };
  });
}

const keyTerms = (notes: string) => section(notes, 'Key terms')[0]?.split(', ') ?? [];
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

async function summarize(transcript: string, options: { maxKeyPoints?: number } = {}) {
  return createOfflineSummarizer(options).summarize({ title: 'Lecture', transcript }, {});
}

describe.each([
  { name: 'ml-module-1', expectedTerms: [/digit/, /image/] },
  { name: 'ml-module-3', expectedTerms: [/variable/, /feature/] },
  { name: 'ml-module-5', expectedTerms: [/naive bayes/, /classifier|class/, /hyperplane|perceptron/] },
])('offline notes for $name', ({ name, expectedTerms }) => {
  const transcript = readLecture(name);
  const source = cleaned(transcript);

  it('has the title, the offline note and every section', async () => {
    const { text } = await summarize(transcript);
    expect(text.startsWith('# Lecture\n')).toBe(true);
    expect(text).toMatch(/^_Extractive notes made offline.*_$/m);
    for (const heading of ['## Key points', '## Key terms', '## Outline'])
      expect(text).toContain(`\n${heading}\n`);
    expect(section(text, 'Outline').length).toBeGreaterThanOrEqual(3);
  });

  it('quotes every key point, whole, from the transcript, in transcript order', async () => {
    const points = keyPoints((await summarize(transcript)).text);
    expect(points.length).toBeGreaterThanOrEqual(5);
    expect(points.length).toBeLessThanOrEqual(15);
    let previous = -1;
    for (const point of points) {
      const position = source.indexOf(point.text.toLowerCase());
      expect(position, point.text).toBeGreaterThan(previous);
      expect(wordCount(point.text)).toBeGreaterThanOrEqual(6);
      expect(point.text).toMatch(/[.!?]$/);
      previous = position;
    }
  });

  it('leaves out caption noise and "let\'s look at" narration', async () => {
    const { text } = await summarize(transcript);
    expect(text).not.toContain('[MUSIC]');
    expect(text).not.toContain('>>');
    for (const point of keyPoints(text))
      expect(point.text).not.toMatch(/^(?:okay|so)?,?\s*let's (?:look|see|run)/i);
  });

  it('is a small fraction of the transcript', async () => {
    const { text } = await summarize(transcript);
    expect(wordCount(text)).toBeLessThan(wordCount(transcript) * 0.15);
  });

  it('names the subject matter in its key terms, not filler', async () => {
    const terms = keyTerms((await summarize(transcript)).text);
    expect(terms.length).toBeGreaterThanOrEqual(6);
    for (const pattern of expectedTerms)
      expect(
        terms.some((term) => pattern.test(term)),
        String(pattern),
      ).toBe(true);
    const filler = new Set([
      'the',
      'and',
      'okay',
      'going',
      'know',
      'like',
      'really',
      'let',
      'look',
      'see',
      'thing',
    ]);
    for (const term of terms) expect(term.split(' ').filter((word) => filler.has(word))).toEqual([]);
  });

  it('writes the same notes every time', async () => {
    expect((await summarize(transcript)).text).toBe((await summarize(transcript)).text);
  });
});

describe('offline summarizer', () => {
  it('identifies itself as offline, with no usage and the key-point cap in its settings key', async () => {
    const summarizer = createOfflineSummarizer({ maxKeyPoints: 7 });
    const result = await summarizer.summarize({ title: 'L', transcript: readLecture('ml-module-1') }, {});

    expect(summarizer.name).toBe('offline');
    expect(summarizer.settingsKey).toBe('offline:v1:7');
    expect(createOfflineSummarizer().settingsKey).toBe('offline:v1:15');
    expect(result.model).toBe('offline');
    expect(result.usage).toBeNull();
  });

  it('caps the key points at maxKeyPoints', async () => {
    const { text } = await summarize(readLecture('ml-module-5'), { maxKeyPoints: 3 });
    expect(keyPoints(text)).toHaveLength(3);
  });

  it('dates each key point from the last [hh:mm:ss] marker before it', async () => {
    const lines = readLecture('ml-module-1').split('\n');
    const paragraphs = [];
    for (let i = 0; i < lines.length; i += 8) {
      const seconds = i * 4;
      const at = [seconds / 3600, (seconds % 3600) / 60, seconds % 60]
        .map((n) => String(Math.floor(n)).padStart(2, '0'))
        .join(':');
      paragraphs.push({ at, text: squashed(lines.slice(i, i + 8).join(' ')) });
    }
    const transcript = paragraphs.map((p) => `[${p.at}] ${p.text}`).join('\n\n');

    const { text } = await summarize(transcript);
    expect(text).not.toMatch(/\[\d{2}:\d{2}:\d{2}\]/);
    let offset = 0;
    const starts = paragraphs.map((p) => {
      const start = offset;
      offset += p.text.length + 1;
      return { start, at: p.at };
    });
    const joined = paragraphs
      .map((p) => p.text)
      .join(' ')
      .toLowerCase();
    const points = keyPoints(text);
    expect(points.length).toBeGreaterThanOrEqual(5);
    for (const point of points) {
      const position = joined.indexOf(point.text.toLowerCase());
      expect(position, point.text).toBeGreaterThanOrEqual(0);
      expect(point.at).toBe(starts.filter((s) => s.start <= position).at(-1)?.at);
    }
  });

  it('reports progress up to completion', async () => {
    const progress: Array<{ current: number; total: number }> = [];
    await createOfflineSummarizer().summarize(
      { title: 'L', transcript: readLecture('ml-module-1') },
      { onProgress: (p) => progress.push(p) },
    );
    expect(progress.at(-1)).toMatchObject({ current: 2, total: 2 });
  });

  it.each([
    ['an empty transcript', ''],
    ['caption noise only', '[MUSIC]\n\n>> [MUSIC]\n[00:00:01]'],
    ['a few words', 'Hello everyone. Welcome back to the course.'],
  ])('refuses %s with summary.transcript_empty', async (_, transcript) => {
    const error = await summarize(transcript).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'summary.transcript_empty', statusCode: 422, transient: false });
  });

  it('stops with an AbortError when the signal is already aborted', async () => {
    const error = await createOfflineSummarizer()
      .summarize({ title: 'L', transcript: readLecture('ml-module-1') }, { signal: AbortSignal.abort() })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('escapes Markdown in quoted sentences', async () => {
    const sentences = Array.from(
      { length: 30 },
      (_, i) => `The loss_function number ${i} multiplies weights *and* gradients in the training loop.`,
    );
    const { text } = await summarize(sentences.join(' '));
    const firstPoint = section(text, 'Key points')[0] ?? '';
    expect(firstPoint).toContain('loss\\_function');
    expect(firstPoint).toContain('\\*and\\*');
  });
});
