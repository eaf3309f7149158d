import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { parseSearchQuery } from './search.query.ts';

const match = (query: string) => parseSearchQuery(query).match;

/** The error `parseSearchQuery` throws, to assert on its code and message. */
function refusal(query: string) {
  try {
    parseSearchQuery(query);
  } catch (error) {
    if (isAppError(error)) return { code: error.code, status: error.statusCode, message: error.message };
    throw error;
  }
  throw new Error(`"${query}" was accepted`);
}

describe('parseSearchQuery', () => {
  it('requires every plain word, each as an FTS5 string', () => {
    expect(match('membrane potential')).toBe('"membrane" AND "potential"');
    expect(match('  spaced\t out  ')).toBe('"spaced" AND "out"');
  });

  it('keeps a quoted phrase whole', () => {
    expect(match('"gradient descent" step')).toBe('"gradient descent" AND "step"');
  });

  it('turns a trailing * into a prefix, on a word or a phrase', () => {
    expect(match('grad*')).toBe('"grad"*');
    expect(match('grad** x')).toBe('"grad"* AND "x"');
    expect(match('"gradient desc"*')).toBe('"gradient desc"*');
  });

  it('binds OR to the terms either side of it', () => {
    expect(match('cell OR membrane')).toBe('("cell" OR "membrane")');
    expect(match('ion channel OR pump')).toBe('"ion" AND ("channel" OR "pump")');
    expect(match('a OR b OR "c d"*')).toBe('("a" OR "b" OR "c d"*)');
  });

  it('passes FTS5 syntax through as words, never as operators', () => {
    expect(match('state-space')).toBe('"state-space"');
    expect(match("don't")).toBe(`"don't"`);
    expect(match('col:x')).toBe('"col:x"');
    expect(match('NEAR(a b)')).toBe('"NEAR(a" AND "b)"');
    expect(match('a AND NOT b')).toBe('"a" AND "AND" AND "NOT" AND "b"');
    expect(match('^a +b')).toBe('"^a" AND "+b"');
    expect(match('or and')).toBe('"or" AND "and"');
    expect(match('*grad')).toBe('"*grad"');
  });

  it('reads a quote inside a word as the start of a phrase', () => {
    expect(match('a"b c"d')).toBe('"a" AND "b c" AND "d"');
  });

  it('leaves out terms that hold only punctuation when words remain', () => {
    expect(match('cell - membrane')).toBe('"cell" AND "membrane"');
    expect(match('cell "" OR membrane')).toBe('("cell" OR "membrane")');
  });

  it('keeps letters of every script and digits as words', () => {
    expect(match('Zellmembran über 細胞膜 42')).toBe('"Zellmembran" AND "über" AND "細胞膜" AND "42"');
  });

  it.each([
    ['"', /quote .* is not closed/],
    ['"gradient descent', /quote .* is not closed/],
    ['a"b', /quote .* is not closed/],
    ['OR', /starts with OR/],
    ['OR cell', /starts with OR/],
    ['cell OR', /ends with OR/],
    ['cell OR OR membrane', /OR twice/],
    ['*', /\* on its own/],
    ['cell *', /\* on its own/],
    ['"-"*', /\* on its own/],
    ['-', /no words/],
    ['- & ""', /no words/],
    ['🙂', /no words/],
  ])('refuses %j with search.bad_query saying how to fix it', (query, message) => {
    const error = refusal(query);
    expect(error).toMatchObject({ code: 'search.bad_query', status: 400 });
    expect(error.message).toMatch(message);
  });

  it('says how to search for the word "or" when OR is misplaced', () => {
    expect(refusal('cell OR').message).toContain('lower case');
  });
});
