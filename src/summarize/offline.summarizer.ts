/**
 * Extractive notes without a model or network: picks the transcript's most representative
 * sentences (TF-IDF term weights blended with TextRank centrality), lists the heaviest terms and
 * outlines the lecture in a few parts. Deterministic: the same transcript gives the same notes.
 */

import { analyzeTranscript, type Sentence, type TranscriptAnalysis } from './offline.analysis.ts';
import type { SummarizeInput, SummarizeProgress, SummarizeResult, Summarizer } from './summarizer.ts';
import { createAbortError, transcriptEmptyError } from './summarizer.ts';

export interface OfflineSummarizerOptions {
  /** Upper bound on key points; the count otherwise grows with transcript length. Default 15. */
  maxKeyPoints?: number;
}

const MIN_WORDS = 20;
/** Two picked sentences more similar than this say the same thing; keep the better one. */
const MAX_SIMILARITY = 0.45;

/** Creates the offline summarizer. Its `settingsKey` is `offline:v1:<maxKeyPoints>`. */
export function createOfflineSummarizer(options: OfflineSummarizerOptions = {}): Summarizer {
  const maxKeyPoints = options.maxKeyPoints ?? 15;
  if (!Number.isInteger(maxKeyPoints) || maxKeyPoints < 1 || maxKeyPoints > 100) {
    throw new RangeError(`maxKeyPoints must be an integer from 1 to 100, got ${maxKeyPoints}`);
  }

  return {
    name: 'offline',
    settingsKey: `offline:v1:${maxKeyPoints}`,
    async summarize(
      input: SummarizeInput,
      {
        signal,
        onProgress,
      }: { signal?: AbortSignal; onProgress?: (progress: SummarizeProgress) => void } = {},
    ): Promise<SummarizeResult> {
      const step = (current: number, message: string) => {
        if (signal?.aborted) throw createAbortError(signal.reason);
        onProgress?.({ current, total: 2, message });
      };
      step(1, 'Scoring transcript sentences');
      const analysis = analyzeTranscript(input.transcript);
      if (analysis.wordCount < MIN_WORDS || analysis.sentences.length === 0) throw transcriptEmptyError();
      step(2, 'Writing notes');
      return { text: renderNotes(input.title, analysis, maxKeyPoints), model: 'offline', usage: null };
    },
  };
}

function renderNotes(title: string, analysis: TranscriptAnalysis, maxKeyPoints: number): string {
  const keyPoints = pickKeyPoints(analysis, keyPointCount(analysis, maxKeyPoints));
  const lines = [
    `# ${title.replace(/\s+/g, ' ').trim() || 'Lecture notes'}`,
    '',
    `_Extractive notes made offline: ${keyPoints.length} sentences quoted from the transcript, not written by a language model._`,
    '',
    '## Key points',
    '',
    ...keyPoints.map((sentence) => `- ${formatSentence(sentence)}`),
  ];
  const terms = analysis.keyTerms(8);
  if (terms.length > 0) lines.push('', '## Key terms', '', terms.join(', '));
  const outline = renderOutline(analysis, new Set(keyPoints));
  if (outline.length > 0) lines.push('', '## Outline', '', ...outline);
  return `${lines.join('\n')}\n`;
}

/** About one point per 900 words on top of a base of four, so a 50-minute lecture gets ~10. */
function keyPointCount(analysis: TranscriptAnalysis, maxKeyPoints: number): number {
  const scaled = Math.round(4 + analysis.wordCount / 900);
  const available = Math.max(1, Math.floor(analysis.sentences.length / 3));
  return Math.max(1, Math.min(scaled, maxKeyPoints, available));
}

/** Greedy by score, skipping near-duplicates of what is already picked, then back in transcript order. */
function pickKeyPoints(analysis: TranscriptAnalysis, count: number): Sentence[] {
  const picked: Sentence[] = [];
  for (const sentence of rankedSentences(analysis.sentences)) {
    if (picked.length >= count) break;
    if (sentence.score <= 0) break;
    if (picked.some((other) => analysis.similarity(sentence, other) > MAX_SIMILARITY)) continue;
    picked.push(sentence);
  }
  return picked.sort((a, b) => a.index - b.index);
}

function rankedSentences(sentences: readonly Sentence[]): Sentence[] {
  return [...sentences].sort((a, b) => b.score - a.score || a.index - b.index);
}

/**
 * Cuts the lecture into three to six equal runs of sentences and shows each run's best sentence
 * that is not already a key point, labelled by the run's own heaviest terms.
 */
function renderOutline(analysis: TranscriptAnalysis, keyPoints: ReadonlySet<Sentence>): string[] {
  const { sentences } = analysis;
  if (sentences.length < 24) return [];
  const parts = Math.min(6, Math.max(3, Math.round(analysis.wordCount / 1200)));
  const lines: string[] = [];
  for (let part = 0; part < parts; part++) {
    const run = sentences.slice(
      Math.floor((part * sentences.length) / parts),
      Math.floor(((part + 1) * sentences.length) / parts),
    );
    const ranked = rankedSentences(run).filter((sentence) => sentence.score > 0);
    const best = ranked.find((sentence) => !keyPoints.has(sentence)) ?? ranked[0];
    if (!best) continue;
    const label = analysis.keyTerms(2, run).join(', ');
    lines.push(`${lines.length + 1}. ${label ? `*${label}*: ` : ''}${formatSentence(best)}`);
  }
  return lines;
}

const LEADING_FILLER = /^(?:(?:okay|ok|alright|all right|so|well|now|um|uh|and|right)\b[,.]?\s+)+/i;

/** The sentence as spoken, minus a leading "Okay, so" and with Markdown metacharacters escaped. */
function formatSentence(sentence: Sentence): string {
  let text = sentence.text;
  const trimmed = text.replace(LEADING_FILLER, '');
  if (trimmed !== text && trimmed.split(/\s+/).length >= 5) {
    text = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  }
  const escaped = text.replace(/[\\`*_[\]]/g, '\\$&');
  return sentence.at === undefined ? escaped : `${escaped} (at ${formatTime(sentence.at)})`;
}

function formatTime(seconds: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}
