/**
 * The terms of offline notes: counting the words and phrases of any run of sentences, weighing
 * them, and choosing the key terms and section labels among those that name something.
 */

import { ADVERBS, GENERIC_NOUNS, LY_NOUNS, STOPWORDS, VERB_BASE_FORMS, VERBS } from './offline.lexicon.ts';
import type { Token } from './offline.text.ts';

export interface Term {
  /** Stems, one to three. */
  words: string[];
  count: number;
  weight: number;
  /** How it is shown: the casing the transcript uses most. */
  surface: string;
}

export interface TermCount {
  count: number;
  /** How it was written, with counts. */
  surfaces: Map<string, number>;
  words: string[];
  lower: string[];
  /** For a pair: the content words said right after it, by stem. */
  next?: Map<string, TermCount>;
}

const BIGRAM_BOOST = 1.5;
/** A pair followed by the same word this often is shown as a three-word term. */
const TRIGRAM_SHARE = 0.7;

interface TermOccurrence {
  key: string;
  written: string;
  lower: string[];
  /** The content word after a pair, if any. */
  next?: Token;
}

/** Each content word, and each pair of adjacent content words (a stopword between them breaks it). */
function* termsOf(tokens: readonly Token[]): Generator<TermOccurrence> {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (!token.content) continue;
    yield { key: token.stem, written: token.written, lower: [token.surface] };
    const previous = tokens[i - 1];
    if (previous?.content && previous.stem !== token.stem) {
      const next = tokens[i + 1];
      yield {
        key: `${previous.stem} ${token.stem}`,
        written: `${previous.written}${token.hyphenated ? '-' : ' '}${token.written}`,
        lower: [previous.surface, token.surface],
        ...(next?.content && next.stem !== token.stem ? { next } : {}),
      };
    }
  }
}

function tally(terms: Map<string, TermCount>, key: string, written: string, lower: string[]): TermCount {
  let entry = terms.get(key);
  if (!entry) {
    entry = { count: 0, surfaces: new Map(), words: key.split(' '), lower };
    terms.set(key, entry);
  }
  entry.count++;
  entry.surfaces.set(written, (entry.surfaces.get(written) ?? 0) + 1);
  return entry;
}

/** Occurrences of each term (with how it was written) and the number of sentences holding it. */
export function countTerms(sentences: ReadonlyArray<{ tokens: readonly Token[] }>): {
  terms: Map<string, TermCount>;
  documents: Map<string, number>;
} {
  const terms = new Map<string, TermCount>();
  const documents = new Map<string, number>();
  for (const sentence of sentences) {
    const seen = new Set<string>();
    for (const term of termsOf(sentence.tokens)) {
      const entry = tally(terms, term.key, term.written, term.lower);
      if (term.next) {
        entry.next ??= new Map();
        const { stem, written, surface } = term.next;
        const joined = `${term.written}${term.next.hyphenated ? '-' : ' '}${written}`;
        tally(entry.next, `${term.key} ${stem}`, joined, [...term.lower, surface]);
      }
      if (!seen.has(term.key)) documents.set(term.key, (documents.get(term.key) ?? 0) + 1);
      seen.add(term.key);
    }
  }
  return { terms, documents };
}

/**
 * The heaviest naming terms said at least twice, by count × IDF, phrases boosted. With
 * `everywhere` (the whole lecture's counts), a term weighs by the share of its mentions made
 * here, so that each part of the lecture is labelled by what is its own.
 */
export function rankTerms(
  counts: ReadonlyMap<string, TermCount>,
  idf: (key: string) => number,
  limit: number,
  everywhere?: ReadonlyMap<string, TermCount>,
): string[] {
  const candidates: Term[] = [];
  for (const [key, entry] of counts) {
    if (entry.count < 2 || !isNamingTerm(entry.lower, entry.words)) continue;
    const share = everywhere ? entry.count / (everywhere.get(key)?.count ?? entry.count) : 1;
    const shown = completed(entry);
    candidates.push({
      words: shown.words,
      count: entry.count,
      weight: entry.count * idf(key) * (entry.words.length > 1 ? BIGRAM_BOOST : 1) * share,
      surface: mostCommon(shown.surfaces),
    });
  }
  candidates.sort((a, b) => b.weight - a.weight || byCodeUnits(a.surface, b.surface));
  return pickTerms(candidates, limit).map((term) => term.surface);
}

/**
 * A pair nearly always followed by the same word is shown with it: "artificial neural" is said
 * as "artificial neural networks", "support vector" as "support vector machine".
 */
function completed(entry: TermCount): TermCount {
  let best: TermCount | undefined;
  for (const triple of entry.next?.values() ?? []) if (!best || triple.count > best.count) best = triple;
  const usual = best && best.count >= TRIGRAM_SHARE * entry.count && isNamingTerm(best.lower, best.words);
  return usual && best ? best : entry;
}

function mostCommon(surfaces: ReadonlyMap<string, number>): string {
  let best = '';
  let bestCount = 0;
  for (const [surface, count] of surfaces) {
    if (count > bestCount || (count === bestCount && byCodeUnits(surface, best) < 0)) {
      best = surface;
      bestCount = count;
    }
  }
  return best;
}

/** Not `localeCompare`, whose order follows the machine's locale: the notes must not. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const isAdverb = (word: string) =>
  ADVERBS.has(word) || (word.length > 4 && word.endsWith('ly') && !LY_NOUNS.has(word));
const isFiller = (word: string) => STOPWORDS.has(word) || isAdverb(word);

/**
 * Whether a term names something. A lone verb ("called", "mean", "show"), adverb or general noun
 * ("time") never does. A phrase does unless it is all verbs and filler, holds filler, starts with
 * an inflected verb ("using NumPy", "called perceptron") or ends with a verb ("data shows"); a
 * base-form verb may lead one, since "mean vector" and "run time" are subjects.
 */
export function isNamingTerm(surfaces: readonly string[], stems: readonly string[]): boolean {
  const verb = (i: number) => VERBS.has(surfaces[i] ?? '') || VERBS.has(stems[i] ?? '');
  const filler = (i: number) => isFiller(surfaces[i] ?? '') || isFiller(stems[i] ?? '');
  if (surfaces.length === 0 || surfaces.every((_, i) => verb(i) || filler(i))) return false;
  if (surfaces.length === 1)
    return !GENERIC_NOUNS.has(surfaces[0] ?? '') && !GENERIC_NOUNS.has(stems[0] ?? '');
  if (surfaces.some((_, i) => filler(i))) return false;
  const [first = ''] = surfaces;
  if (verb(0) && !VERB_BASE_FORMS.has(first)) return false;
  return !verb(surfaces.length - 1);
}

/**
 * The heaviest terms that share no word: "learning" adds nothing next to "machine learning". A
 * word said mostly inside one phrase is shown as that phrase ("point" → "data points").
 */
export function pickTerms(candidates: readonly Term[], limit: number): Term[] {
  const picked: Term[] = [];
  for (const candidate of candidates) {
    if (picked.length >= limit) break;
    const [word] = candidate.words;
    const phrase =
      candidate.words.length === 1 && word !== undefined
        ? candidates.find(
            (t) => t.words.length > 1 && t.words.includes(word) && t.count * 2 >= candidate.count,
          )
        : undefined;
    const term = phrase ?? candidate;
    if (!picked.some((other) => other.words.some((w) => term.words.includes(w)))) picked.push(term);
  }
  return picked;
}

/** "naive Bayes, kernel" → "Naive Bayes, Kernel": a heading made of terms. */
export function termLabel(terms: readonly string[]): string {
  return terms.map((term) => term.charAt(0).toUpperCase() + term.slice(1)).join(', ');
}
