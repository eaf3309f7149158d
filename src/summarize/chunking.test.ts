import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkTranscript } from './chunking.ts';

const words = (text: string) => text.split(/\s+/).filter(Boolean);
const sentence = (n: number) => `Sentence number ${n} talks about gradient descent.`;

describe('chunkTranscript', () => {
  it('returns nothing for blank text', () => {
    expect(chunkTranscript('', 100)).toEqual([]);
    expect(chunkTranscript(' \n\n \n', 100)).toEqual([]);
  });

  it('returns a transcript that fits as one chunk', () => {
    expect(chunkTranscript('  One. Two.\n\nThree.  ', 100)).toEqual(['One. Two.\n\nThree.']);
  });

  it('packs whole paragraphs and breaks between them', () => {
    const paragraphs = ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40)];
    expect(chunkTranscript(paragraphs.join('\n\n'), 100)).toEqual([
      `${paragraphs[0]}\n\n${paragraphs[1]}`,
      paragraphs[2],
    ]);
  });

  it('splits an oversized paragraph between sentences, never inside one', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => sentence(i + 1));
    const chunks = chunkTranscript(sentences.join(' '), 200);

    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(200);
    for (const s of sentences) expect(chunks.filter((chunk) => chunk.includes(s))).toHaveLength(1);
    expect(words(chunks.join(' '))).toEqual(words(sentences.join(' ')));
  });

  it('cuts a single over-budget sentence at spaces only', () => {
    const longSentence = `${Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ')}.`;
    const chunks = chunkTranscript(longSentence, 50);

    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(50);
    expect(words(chunks.join(' '))).toEqual(words(longSentence));
  });

  it('cuts mid-word only when a word alone exceeds the budget', () => {
    expect(chunkTranscript('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('keeps a [hh:mm:ss] marker at the start of its paragraph', () => {
    const text = Array.from({ length: 6 }, (_, i) => `[00:0${i}:00] ${sentence(i)} ${sentence(i + 10)}`).join(
      '\n\n',
    );
    const chunks = chunkTranscript(text, 250);

    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk).toMatch(/^\[00:0\d:00\] /);
  });

  it('chunks a real lecture within budget without losing a word', () => {
    const lecture = readFileSync(
      path.resolve(process.cwd(), '../shared/data/lectures/ml-module-5.txt'),
      'utf8',
    );
    const chunks = chunkTranscript(lecture, 8000);

    expect(chunks.length).toBeGreaterThanOrEqual(5);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(8000);
    expect(words(chunks.join(' '))).toEqual(words(lecture));
  });

  it('rejects a budget that is not a positive integer', () => {
    expect(() => chunkTranscript('text', 0)).toThrow(RangeError);
    expect(() => chunkTranscript('text', 1.5)).toThrow(RangeError);
  });
});
