/**
 * The text analysis behind the offline summarizer: cleans caption text, splits it into sentences,
 * weighs terms TF-IDF style (each sentence is a "document"), and scores sentences by blending
 * term weight with TextRank centrality, adjusted for length, filler and position.
 */

import { SENTENCE_ADJUSTMENTS, STOPWORDS } from './offline.lexicon.ts';
import { pickTerms, type Term } from './offline.terms.ts';

export interface Sentence {
  /** Position in the transcript, from 0. */
  readonly index: number;
  /** The sentence as it appears in the cleaned transcript. */
  readonly text: string;
  /** Seconds from the last `[hh:mm:ss]` marker before the sentence, when the transcript has them. */
  readonly at: number | undefined;
  readonly score: number;
}

export interface TranscriptAnalysis {
  readonly sentences: readonly Sentence[];
  /** Words in the cleaned transcript. */
  readonly wordCount: number;
  /** Cosine similarity of two sentences' term vectors, from 0 to 1. */
  similarity(a: Sentence, b: Sentence): number;
  /** The heaviest terms (words or two-word phrases said at least twice), in `within` or everywhere. */
  keyTerms(limit: number, within?: readonly Sentence[]): string[];
}

interface Token {
  surface: string;
  stem: string;
  content: boolean;
}

interface Draft {
  index: number;
  text: string;
  at: number | undefined;
  tokens: Token[];
  vector: Map<string, number>;
  norm: number;
  score: number;
}

const TIMESTAMP = /\[(?:(\d{1,2}):)?(\d{1,2}):(\d{2})(?:[.,]\d{1,3})?\]/g;
/** Caption tags such as `[MUSIC]` or `[APPLAUSE]`, and `>>` speaker-change marks. */
const NOISE = /\[[A-Z][A-Z' -]{2,}\]|\[(?:music|applause|laughter|inaudible|noise|silence|crosstalk)\]|>>+/gi;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;
/** Caption text sometimes runs on for hundreds of words without punctuation; cut those into windows. */
const MAX_SENTENCE_WORDS = 80;
const WINDOW_WORDS = 40;
const BIGRAM_BOOST = 1.5;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Analyses a transcript, with or without `[hh:mm:ss]` markers. Pure and deterministic. */
export function analyzeTranscript(raw: string): TranscriptAnalysis {
  const { text, marks } = cleanTranscript(raw);
  const drafts = splitSentences(text, marks);
  const documentFrequency = countDocuments(drafts);
  const idf = (key: string) => Math.log(1 + drafts.length / (documentFrequency.get(key) ?? 1));
  for (const draft of drafts) {
    for (const token of draft.tokens.filter((t) => t.content)) {
      draft.vector.set(token.stem, (draft.vector.get(token.stem) ?? 0) + idf(token.stem));
    }
    draft.norm = Math.hypot(...draft.vector.values());
  }
  scoreSentences(drafts, idf);

  const byIndex = new Map(drafts.map((draft) => [draft.index, draft]));
  const draftOf = (sentence: Sentence) => byIndex.get(sentence.index) as Draft;
  return {
    sentences: drafts,
    wordCount: drafts.reduce((sum, draft) => sum + draft.tokens.length, 0),
    similarity: (a, b) => cosine(draftOf(a), draftOf(b)),
    keyTerms: (limit, within = drafts) => rankTerms(within.map(draftOf), idf, limit),
  };
}

function cleanTranscript(raw: string): { text: string; marks: Array<{ offset: number; seconds: number }> } {
  const marks: Array<{ offset: number; seconds: number }> = [];
  let text = '';
  let last = 0;
  const append = (piece: string) => {
    const clean = piece.replace(NOISE, ' ').replace(/\s+/g, ' ').trim();
    if (clean) text = text ? `${text} ${clean}` : clean;
  };
  for (const match of raw.matchAll(TIMESTAMP)) {
    append(raw.slice(last, match.index));
    const [, hours = '0', minutes = '0', seconds = '0'] = match;
    marks.push({
      offset: text.length,
      seconds: Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds),
    });
    last = match.index + match[0].length;
  }
  append(raw.slice(last));
  return { text, marks };
}

function splitSentences(text: string, marks: ReadonlyArray<{ offset: number; seconds: number }>): Draft[] {
  const drafts: Draft[] = [];
  let mark = -1;
  for (const { segment, index: offset } of sentenceSegmenter.segment(text)) {
    while (mark + 1 < marks.length && (marks[mark + 1]?.offset ?? Number.POSITIVE_INFINITY) <= offset) mark++;
    const at = marks[mark]?.seconds;
    const words = segment.trim().split(' ').filter(Boolean);
    const windows: string[] = [];
    if (words.length > MAX_SENTENCE_WORDS) {
      for (let i = 0; i < words.length; i += WINDOW_WORDS)
        windows.push(words.slice(i, i + WINDOW_WORDS).join(' '));
    } else if (words.length > 0) {
      windows.push(words.join(' '));
    }
    for (const window of windows) {
      drafts.push({
        index: drafts.length,
        text: window,
        at,
        tokens: tokenize(window),
        vector: new Map(),
        norm: 0,
        score: 0,
      });
    }
  }
  return drafts;
}

function tokenize(text: string): Token[] {
  return Array.from(text.matchAll(WORD), ([word]) => {
    const surface = word
      .toLowerCase()
      .replace(/’/g, "'")
      .replace(/'(?:s|re|ll|ve|d|m|t)$/, '');
    const stem = stemOf(surface);
    const content =
      /\p{L}/u.test(surface) && surface.length >= 3 && !STOPWORDS.has(surface) && !STOPWORDS.has(stem);
    return { surface, stem, content };
  });
}

/** Folds plurals onto their singular ("digits" → "digit", "classes" → "class"); nothing cleverer. */
function stemOf(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Sentences containing each content stem and each content bigram (`"stem stem"`). */
function countDocuments(drafts: readonly Draft[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const draft of drafts) {
    for (const key of new Set(termsOf(draft).map((term) => term.key)))
      counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Content words, plus adjacent content-word pairs (a stopword between two words breaks the pair). */
function termsOf(draft: Draft): Array<{ key: string; surface: string; bigram: boolean }> {
  const terms: Array<{ key: string; surface: string; bigram: boolean }> = [];
  draft.tokens.forEach((token, i) => {
    if (!token.content) return;
    terms.push({ key: token.stem, surface: token.surface, bigram: false });
    const previous = draft.tokens[i - 1];
    if (previous?.content && previous.stem !== token.stem) {
      terms.push({
        key: `${previous.stem} ${token.stem}`,
        surface: `${previous.surface} ${token.surface}`,
        bigram: true,
      });
    }
  });
  return terms;
}

function scoreSentences(drafts: Draft[], idf: (key: string) => number): void {
  const termFrequency = new Map<string, number>();
  for (const draft of drafts) {
    for (const token of draft.tokens) {
      if (token.content) termFrequency.set(token.stem, (termFrequency.get(token.stem) ?? 0) + 1);
    }
  }
  const weight = (stem: string) => (termFrequency.get(stem) ?? 0) * idf(stem);
  const termScores = drafts.map((draft) => {
    const stems = new Set(draft.tokens.filter((t) => t.content).map((t) => t.stem));
    let sum = 0;
    for (const stem of stems) sum += weight(stem);
    return sum / Math.sqrt(Math.max(draft.tokens.length, 1));
  });
  const centralities = textRank(drafts);
  const maxTerm = Math.max(...termScores, Number.MIN_VALUE);
  const maxCentrality = Math.max(...centralities, Number.MIN_VALUE);
  const opening = Math.max(3, Math.ceil(drafts.length * 0.05));
  for (const draft of drafts) {
    const blended =
      0.5 * ((termScores[draft.index] ?? 0) / maxTerm) +
      0.5 * ((centralities[draft.index] ?? 0) / maxCentrality);
    const position = draft.index < opening ? 1.5 : 1;
    draft.score = blended * lengthFactor(draft.tokens.length) * fillerFactor(draft.text) * position;
  }
}

/** Short sentences carry too little on their own; very long ones are caption run-ons. */
function lengthFactor(words: number): number {
  if (words < 6) return 0;
  if (words < 10) return 0.6;
  if (words <= 35) return 1;
  if (words <= 50) return 0.75;
  return 0.4;
}

/** Multiplies the penalties (and cue bonuses) whose pattern matches the sentence. */
function fillerFactor(text: string): number {
  return SENTENCE_ADJUSTMENTS.reduce(
    (factor, [pattern, penalty]) => (pattern.test(text) ? factor * penalty : factor),
    1,
  );
}

function cosine(a: Draft, b: Draft): number {
  if (a.norm === 0 || b.norm === 0) return 0;
  const [small, large] = a.vector.size <= b.vector.size ? [a.vector, b.vector] : [b.vector, a.vector];
  let dot = 0;
  for (const [key, value] of small) dot += value * (large.get(key) ?? 0);
  return dot / (a.norm * b.norm);
}

/** PageRank over the sentence-similarity graph (TextRank); ignores edges too weak to mean anything. */
function textRank(drafts: readonly Draft[], iterations = 30, damping = 0.85): number[] {
  const n = drafts.length;
  const edges: Array<Array<[number, number]>> = drafts.map(() => []);
  const outWeight = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const similarity = cosine(drafts[i] as Draft, drafts[j] as Draft);
      if (similarity < 0.05) continue;
      edges[i]?.push([j, similarity]);
      edges[j]?.push([i, similarity]);
      outWeight[i] = (outWeight[i] ?? 0) + similarity;
      outWeight[j] = (outWeight[j] ?? 0) + similarity;
    }
  }
  let rank = new Array<number>(n).fill(1 / Math.max(n, 1));
  for (let iteration = 0; iteration < iterations; iteration++) {
    rank = edges.map(
      (neighbours) =>
        (1 - damping) / n +
        damping * neighbours.reduce((sum, [j, w]) => sum + ((rank[j] ?? 0) * w) / (outWeight[j] || 1), 0),
    );
  }
  return rank;
}

function rankTerms(drafts: readonly Draft[], idf: (key: string) => number, limit: number): string[] {
  const counts = new Map<string, { count: number; surfaces: Map<string, number> }>();
  for (const draft of drafts) {
    for (const term of termsOf(draft)) {
      const entry = counts.get(term.key) ?? { count: 0, surfaces: new Map() };
      entry.count++;
      entry.surfaces.set(term.surface, (entry.surfaces.get(term.surface) ?? 0) + 1);
      counts.set(term.key, entry);
    }
  }
  const candidates: Term[] = [...counts]
    .filter(([, entry]) => entry.count >= 2)
    .map(([key, entry]) => {
      const words = key.split(' ');
      return {
        words,
        count: entry.count,
        weight: entry.count * idf(key) * (words.length > 1 ? BIGRAM_BOOST : 1),
        surface: [...entry.surfaces].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? key,
      };
    })
    .sort((a, b) => b.weight - a.weight || a.surface.localeCompare(b.surface));
  return pickTerms(candidates, limit).map((term) => term.surface);
}
