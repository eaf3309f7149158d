/**
 * The text analysis behind the offline summarizer: weighs terms TF-IDF style (each sentence is a
 * "document") and scores each sentence by its term weight and by its cosine to the lecture's
 * TF-IDF centroid (Radev et al. 2004, "Centroid-based summarization of multiple documents"),
 * adjusted for length, filler and position.
 *
 * Everything here is linear in the transcript's length (plus sorting): the centroid stands in for
 * TextRank's sentence graph, whose all-pairs similarity took seconds on a two-hour lecture.
 */

import { OTHER_PART, OVERVIEW_CUES, SENTENCE_ADJUSTMENTS } from './offline.lexicon.ts';
import { byCodeUnits, countTerms, rankTerms, type TermCount } from './offline.terms.ts';
import { splitSentences, type Token } from './offline.text.ts';
import type { NotesSegment } from './summarizer.ts';

export interface Sentence {
  /** Position in the transcript, from 0. */
  readonly index: number;
  /** The sentence as it appears in the paragraph, spacing tidied. */
  readonly text: string;
  /** Index of the segment (paragraph) the sentence starts in. */
  readonly segment: number;
  readonly words: number;
  /** How well the sentence stands for the lecture as a key point; 0 when it should never be one. */
  readonly score: number;
  /** How well it says what the whole lecture is about (centrality, overview cue phrases). */
  readonly overviewScore: number;
  /** It announces the lecture's subject ("In this module, we will study ..."). */
  readonly announces: boolean;
}

export interface TranscriptAnalysis {
  readonly sentences: readonly Sentence[];
  readonly wordCount: number;
  /** Whether two sentences say much the same thing (term-vector cosine or content-word overlap). */
  similar(a: Sentence, b: Sentence): boolean;
  /**
   * The heaviest naming terms said at least twice, everywhere or in `within`. With `within`,
   * terms said mostly there outweigh terms said all through the lecture, so each part of the
   * lecture is labelled by what is its own.
   */
  keyTerms(limit: number, within?: readonly Sentence[]): string[];
}

interface Draft extends Sentence {
  tokens: Token[];
  vector: Map<string, number>;
  norm: number;
  stems: Set<string>;
  score: number;
  overviewScore: number;
  announces: boolean;
}

/** Above this cosine two sentences say the same thing; the notes keep the better one. */
const MAX_SIMILARITY = 0.45;
/** Or when this share of the shorter sentence's content words are in the other. */
const MAX_OVERLAP = 0.7;
/** Radev's centroid keeps only the heaviest words, so rare ones do not dilute it. */
const CENTROID_TERMS = 60;

/** Analyses the paragraphs of a transcript or reading. Pure and deterministic. */
export function analyzeSegments(segments: readonly NotesSegment[]): TranscriptAnalysis {
  const drafts: Draft[] = splitSentences(segments).map((sentence, index) => ({
    index,
    text: sentence.text,
    segment: sentence.segment,
    words: sentence.tokens.length,
    tokens: sentence.tokens,
    vector: new Map(),
    norm: 0,
    stems: new Set(sentence.tokens.filter((t) => t.content).map((t) => t.stem)),
    score: 0,
    overviewScore: 0,
    announces: OVERVIEW_CUES.test(sentence.text) && !OTHER_PART.test(sentence.text),
  }));
  const globalCounts = countTerms(drafts);
  const idf = (key: string) => Math.log(1 + drafts.length / (globalCounts.documents.get(key) ?? 1));
  for (const draft of drafts) {
    for (const token of draft.tokens) {
      if (token.content) draft.vector.set(token.stem, (draft.vector.get(token.stem) ?? 0) + idf(token.stem));
    }
    draft.norm = normOf(draft.vector.values());
  }
  scoreSentences(drafts, centroidOf(drafts), globalCounts.terms, idf);

  const draftOf = (sentence: Sentence) => drafts[sentence.index] as Draft;
  return {
    sentences: drafts,
    wordCount: drafts.reduce((sum, draft) => sum + draft.words, 0),
    similar: (a, b) => similar(draftOf(a), draftOf(b)),
    keyTerms: (limit, within) =>
      within === undefined
        ? rankTerms(globalCounts.terms, idf, limit)
        : rankTerms(countTerms(within.map(draftOf)).terms, idf, limit, globalCounts.terms),
  };
}

function centroidOf(drafts: readonly Draft[]): { vector: Map<string, number>; norm: number } {
  const sums = new Map<string, number>();
  for (const draft of drafts) {
    for (const [stem, weight] of draft.vector) sums.set(stem, (sums.get(stem) ?? 0) + weight);
  }
  const top = [...sums].sort((a, b) => b[1] - a[1] || byCodeUnits(a[0], b[0])).slice(0, CENTROID_TERMS);
  const vector = new Map(top);
  return { vector, norm: normOf(vector.values()) };
}

function scoreSentences(
  drafts: Draft[],
  centroid: { vector: Map<string, number>; norm: number },
  counts: ReadonlyMap<string, TermCount>,
  idf: (key: string) => number,
): void {
  const termScores = drafts.map((draft) => {
    let sum = 0;
    for (const stem of draft.stems) sum += (counts.get(stem)?.count ?? 0) * idf(stem);
    return sum / Math.sqrt(Math.max(draft.words, 1));
  });
  const centralities = drafts.map((draft) =>
    cosine(draft.vector, draft.norm, centroid.vector, centroid.norm),
  );
  const maxTerm = maxOf(termScores);
  const maxCentrality = maxOf(centralities);
  const opening = Math.max(3, Math.ceil(drafts.length * 0.05));
  for (const draft of drafts) {
    const centrality = (centralities[draft.index] ?? 0) / maxCentrality;
    const blended = 0.5 * ((termScores[draft.index] ?? 0) / maxTerm) + 0.5 * centrality;
    const quality = lengthFactor(draft.words) * fillerFactor(draft.text) * endFactor(draft.text);
    draft.score = blended * quality * (draft.index < opening ? 1.5 : 1);
    // Lectures say what they are about near the start, in so many words (Edmundson's cue and
    // location); centrality alone would pick a dense sentence from anywhere.
    const cue = draft.announces ? 2.5 : 1;
    const early = draft.index < drafts.length * 0.15 ? 1.5 : 1;
    draft.overviewScore = quality * (0.4 + 0.6 * centrality) * cue * early;
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

/** A window cut out of a run-on sentence reads as a fragment. */
function endFactor(text: string): number {
  return /[.!?…]["'”’)\]]*$/.test(text) ? 1 : 0.6;
}

/** Multiplies the penalties (and cue bonuses) whose pattern matches the sentence. */
function fillerFactor(text: string): number {
  return SENTENCE_ADJUSTMENTS.reduce(
    (factor, [pattern, penalty]) => (pattern.test(text) ? factor * penalty : factor),
    1,
  );
}

function similar(a: Draft, b: Draft): boolean {
  if (cosine(a.vector, a.norm, b.vector, b.norm) > MAX_SIMILARITY) return true;
  const [small, large] = a.stems.size <= b.stems.size ? [a.stems, b.stems] : [b.stems, a.stems];
  if (small.size < 2) return false;
  let shared = 0;
  for (const stem of small) if (large.has(stem)) shared++;
  return shared / small.size >= MAX_OVERLAP;
}

function cosine(a: Map<string, number>, aNorm: number, b: Map<string, number>, bNorm: number): number {
  if (aNorm === 0 || bNorm === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [key, value] of small) dot += value * (large.get(key) ?? 0);
  return dot / (aNorm * bNorm);
}

// Loops rather than `Math.hypot(...values)` / `Math.max(...values)`: a spread of a long
// lecture's values overflows the call stack.
function normOf(values: Iterable<number>): number {
  let sum = 0;
  for (const value of values) sum += value * value;
  return Math.sqrt(sum);
}

function maxOf(values: readonly number[]): number {
  let max = Number.MIN_VALUE;
  for (const value of values) if (value > max) max = value;
  return max;
}
