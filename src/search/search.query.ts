/**
 * The query language of `GET /search`, read into an FTS5 MATCH expression:
 * - plain words, all of which must match (`membrane potential`);
 * - `"quoted phrases"`, whose words must come in that order;
 * - a trailing `*` for a prefix (`grad*`, `"gradient desc"*`);
 * - `OR` (upper case) between two terms (`cell OR membrane`); it binds the terms either side,
 *   so `ion channel OR pump` is `ion AND (channel OR pump)`.
 *
 * Every term reaches FTS5 as a quoted string, so nothing else a user types is FTS5 syntax:
 * hyphens (`state-space`), apostrophes, colons (`col:x`), parentheses, `^`, `+`, `NEAR`, `AND` and
 * `NOT` are words or punctuation inside a string, where the tokenizer splits them as it split
 * the indexed text (`state-space` becomes the phrase "state space"). What cannot be read (a quote
 * left open, a misplaced `OR`, a lone `*`, no words at all) throws `search.bad_query` saying how
 * to write it instead.
 */

import { searchErrors } from './search.errors.ts';

export interface SearchTerm {
  text: string;
  prefix: boolean;
}

export interface ParsedQuery {
  /** The FTS5 expression. */
  match: string;
  /** Alternatives within a group, groups all required: `[[a], [b, c]]` is a AND (b OR c). */
  groups: SearchTerm[][];
}

type Token = { kind: 'term'; term: SearchTerm } | { kind: 'or' };

/** What FTS5's unicode61 tokenizer keeps as token characters (categories L*, N* and Co). */
const WORD_CHARACTER = /[\p{L}\p{N}\p{Co}]/u;
const SPACE = /\s/u;

const OR_HINT =
  'Write OR between two terms, as in cell OR membrane, or write it in lower case to search for the word "or".';

export function parseSearchQuery(input: string): ParsedQuery {
  const groups: SearchTerm[][] = [];
  let pendingOr = false;
  for (const token of tokenize(input)) {
    if (token.kind === 'or') {
      if (groups.length === 0)
        throw bad(`The search starts with OR, which needs a term before it. ${OR_HINT}`);
      if (pendingOr) throw bad(`The search holds OR twice in a row. ${OR_HINT}`);
      pendingOr = true;
      continue;
    }
    const { term } = token;
    if (!WORD_CHARACTER.test(term.text)) {
      if (term.prefix) {
        throw bad('A * on its own matches nothing: put it right after the start of a word, as in grad*.');
      }
      // Punctuation alone (`-`, `&`, `""`) holds no word to look for; the rest of the query stands.
      continue;
    }
    const last = groups.at(-1);
    if (pendingOr && last) last.push(term);
    else groups.push([term]);
    pendingOr = false;
  }
  if (pendingOr) throw bad(`The search ends with OR, which needs a term after it. ${OR_HINT}`);
  if (groups.length === 0) {
    throw bad('The search holds no words to look for, only punctuation or spaces: type at least one word.');
  }
  const match = groups
    .map((group) => {
      const alternatives = group.map(quote).join(' OR ');
      return group.length > 1 ? `(${alternatives})` : alternatives;
    })
    .join(' AND ');
  return { match, groups };
}

/** Words, quoted phrases and `OR`s, in order; a word ends at a space or a quote. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < input.length) {
    const char = input.charAt(at);
    if (SPACE.test(char)) {
      at += 1;
    } else if (char === '"') {
      const close = input.indexOf('"', at + 1);
      if (close === -1) {
        throw bad('A quote (") is not closed: end the phrase with a second ", or remove the quote.');
      }
      const text = input.slice(at + 1, close);
      at = close + 1;
      const stars = countStars(input, at);
      at += stars;
      tokens.push({ kind: 'term', term: { text, prefix: stars > 0 } });
    } else {
      let end = at;
      while (end < input.length && input.charAt(end) !== '"' && !SPACE.test(input.charAt(end))) end += 1;
      const word = input.slice(at, end);
      at = end;
      const text = word.replace(/\*+$/, '');
      tokens.push(word === 'OR' ? { kind: 'or' } : { kind: 'term', term: { text, prefix: text !== word } });
    }
  }
  return tokens;
}

function countStars(input: string, from: number): number {
  let at = from;
  while (input.charAt(at) === '*') at += 1;
  return at - from;
}

/** An FTS5 string (a `"` inside is doubled), with FTS5's prefix mark after it when asked. */
function quote(term: SearchTerm): string {
  return `"${term.text.replaceAll('"', '""')}"${term.prefix ? '*' : ''}`;
}

const bad = (message: string) => searchErrors.badQuery({ message });
