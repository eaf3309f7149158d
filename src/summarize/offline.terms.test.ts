import { describe, expect, it } from 'vitest';
import { isNamingTerm, pickTerms, type Term, termLabel } from './offline.terms.ts';

const naming = (phrase: string) => {
  const words = phrase.split(' ');
  return isNamingTerm(words, words);
};

describe('isNamingTerm', () => {
  it.each([
    'going',
    'called',
    'mean',
    'means',
    'want',
    'get',
    'show',
    'using',
    'said',
    'explained',
    'computing',
  ])('rejects the verb "%s" on its own', (word) => expect(naming(word)).toBe(false));

  it.each(['basically', 'quickly', 'instead', 'time', 'value', 'okay'])(
    'rejects the adverb, general noun or filler "%s"',
    (word) => expect(naming(word)).toBe(false),
  );

  it.each(['called showing', 'using numpy', 'data shows', 'really good', 'okay classifier'])(
    'rejects the phrase "%s"',
    (phrase) => expect(naming(phrase)).toBe(false),
  );

  it.each([
    'perceptron',
    'hyperplane',
    'anomaly',
    'learning',
    'naive bayes',
    'mean vector',
    'missing value',
    'run time',
  ])('keeps the subject "%s"', (phrase) => expect(naming(phrase)).toBe(true));
});

const term = (surface: string, weight: number, count = 4): Term => ({
  words: surface.split(' '),
  count,
  weight,
  surface,
});

describe('pickTerms', () => {
  it('skips terms that share a word with a heavier one', () => {
    const picked = pickTerms(
      [term('machine learning', 9), term('learning', 8), term('kernel', 7), term('machine', 6)],
      5,
    );
    expect(picked.map((t) => t.surface)).toEqual(['machine learning', 'kernel']);
  });

  it('shows a word said mostly inside one phrase as that phrase', () => {
    const picked = pickTerms([term('point', 9, 10), term('kernel', 8), term('data point', 5, 6)], 5);
    expect(picked.map((t) => t.surface)).toEqual(['data point', 'kernel']);
  });

  it('stops at the limit', () => {
    expect(pickTerms([term('a1', 3), term('b2', 2), term('c3', 1)], 2)).toHaveLength(2);
  });
});

describe('termLabel', () => {
  it('capitalises each term and keeps the rest as written', () => {
    expect(termLabel(['naive Bayes', 'kernel', 'SVM'])).toBe('Naive Bayes, Kernel, SVM');
  });
});
