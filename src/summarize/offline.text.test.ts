import { describe, expect, it } from 'vitest';
import { splitSentences, tokenize } from './offline.text.ts';

const paragraphs = (...texts: string[]) => texts.map((text, i) => ({ startMs: i * 1000, text }));

describe('splitSentences', () => {
  it('ends a sentence at each paragraph break, and knows the paragraph each starts in', () => {
    const sentences = splitSentences(paragraphs('One sentence here. Another one', 'Heading\tthen  more'));
    expect(sentences.map(({ text, segment }) => ({ text, segment }))).toEqual([
      { text: 'One sentence here.', segment: 0 },
      { text: 'Another one', segment: 0 },
      { text: 'Heading then more', segment: 1 },
    ]);
  });

  it('keeps a sentence the captions cut mid-way whole, in the paragraph it starts in', () => {
    const sentences = splitSentences(paragraphs('We fit the model and', 'then we test it. Done now.'));
    expect(sentences.map(({ text, segment }) => ({ text, segment }))).toEqual([
      { text: 'We fit the model and then we test it.', segment: 0 },
      { text: 'Done now.', segment: 1 },
    ]);
  });

  it('cuts a run-on sentence into windows of 40 words', () => {
    const words = Array.from({ length: 100 }, (_, i) => `word${i}`);
    const sentences = splitSentences(paragraphs(words.join(' ')));
    expect(sentences.map((sentence) => sentence.tokens.length)).toEqual([40, 40, 20]);
  });

  it('splits a long text as it would split it whole, however it is chunked inside', () => {
    const sentences = Array.from(
      { length: 400 },
      (_, i) => `Sentence number ${i} says e.g. one thing, Dr. Smith.`,
    );
    const whole = Array.from(
      new Intl.Segmenter('en', { granularity: 'sentence' }).segment(sentences.join(' ')),
    );
    const split = splitSentences(paragraphs(sentences.join(' ')));
    expect(split.map((sentence) => sentence.text)).toEqual(whole.map((piece) => piece.segment.trim()));
    expect(split.length).toBeGreaterThan(100);
  });

  it('removes sound marks and speaker changes left in older transcripts', () => {
    const [sentence] = splitSentences(paragraphs('[MUSIC] >> The kernel maps points.'));
    expect(sentence?.text).toBe('The kernel maps points.');
  });
});

describe('tokenize', () => {
  it('folds plurals and drops possessives, keeping how the word was written', () => {
    const [first, second] = tokenize("Bayes's classifiers");
    expect(first).toMatchObject({ written: 'Bayes', surface: 'bayes', content: true });
    expect(second).toMatchObject({ written: 'classifiers', stem: 'classifier' });
  });

  it('keeps a compound led by a non-term as one word, and marks hyphenated words', () => {
    const tokens = tokenize('one-hot encoding with scikit-learn');
    expect(tokens.filter((t) => t.content).map((t) => [t.written, t.hyphenated])).toEqual([
      ['one-hot', false],
      ['encoding', false],
      ['scikit', false],
      ['learn', true],
    ]);
  });

  it('marks stopwords and short words as no content', () => {
    expect(tokenize('so we go to the kernel').map((t) => t.content)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});
