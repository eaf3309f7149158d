/**
 * Extractive notes without a model or network, in the shape every summary shares
 * (notes.format.ts): an overview of the lecture's most representative sentences, sections at the
 * source's chapters or at time windows, each quoting its own key sentences with their times, and
 * the heaviest terms. Deterministic: the same input gives the same notes.
 */

import {
  KEY_TERMS_HEADING,
  OVERVIEW_HEADING,
  sectionHeading,
  timeMarker,
  titleHeading,
} from './notes.format.ts';
import { analyzeSegments, type Sentence, type TranscriptAnalysis } from './offline.analysis.ts';
import { pickSentences } from './offline.picks.ts';
import { type PlannedSentence, planSections, type SectionPlan } from './offline.sections.ts';
import { termLabel } from './offline.terms.ts';
import type { SummarizeInput, SummarizeProgress, SummarizeResult, Summarizer } from './summarizer.ts';
import { createAbortError, transcriptEmptyError } from './summarizer.ts';

export interface OfflineSummarizerOptions {
  /**
   * Upper bound on the key points of all sections together; each section's share grows with its
   * length. Default 15.
   */
  maxKeyPoints?: number;
}

/** Part of `settingsKey` and the result's `promptVersion`: bump it whenever the notes change. */
export const OFFLINE_VERSION = 'offline-v2';

const MIN_WORDS = 20;
const KEY_TERMS = 8;

/** Creates the offline summarizer. Its `settingsKey` is `offline-v2:<maxKeyPoints>`. */
export function createOfflineSummarizer(options: OfflineSummarizerOptions = {}): Summarizer {
  const maxKeyPoints = options.maxKeyPoints ?? 15;
  if (!Number.isInteger(maxKeyPoints) || maxKeyPoints < 1 || maxKeyPoints > 100) {
    throw new RangeError(`maxKeyPoints must be an integer from 1 to 100, got ${maxKeyPoints}`);
  }

  return {
    name: 'offline',
    settingsKey: `${OFFLINE_VERSION}:${maxKeyPoints}`,
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
      const analysis = analyzeSegments(input.segments);
      if (analysis.wordCount < MIN_WORDS || analysis.sentences.length === 0) throw transcriptEmptyError();
      step(2, 'Writing notes');
      return {
        text: writeNotes(input, analysis, maxKeyPoints),
        model: 'offline',
        usage: null,
        promptVersion: OFFLINE_VERSION,
        parts: 1,
        calls: 0,
        leftOut: [],
      };
    },
  };
}

function writeNotes(input: SummarizeInput, analysis: TranscriptAnalysis, maxKeyPoints: number): string {
  // A reading's paragraphs may carry times (a PDF read aloud); its notes still never show them.
  const timed = input.kind === 'recording' && input.segments.some((segment) => segment.startMs !== null);
  const timeOf = (sentence: Sentence) => (timed ? (input.segments[sentence.segment]?.startMs ?? null) : null);
  const sections = planSections(plannedSentences(analysis, timeOf), {
    timed,
    chapters: input.chapters,
    maxSections: maxKeyPoints,
  });
  const { overview, bullets } = pickSentences(analysis, sections, maxKeyPoints);
  const quoted = overview.length + bullets.reduce((sum, list) => sum + list.length, 0);
  const note = `${quoted} sentences quoted from the transcript, not written by a language model`;
  const lines = [titleHeading(input.title), '', `_Extractive notes made offline: ${note}._`];
  if (overview.length > 0) lines.push('', `## ${OVERVIEW_HEADING}`, overview.map(quote).join(' '));
  sections.forEach((section, s) => {
    const points = bullets[s] ?? [];
    // A chapter is the source's own outline, shown even when all it says is said elsewhere; a
    // window with nothing new to quote is left out.
    if (points.length === 0 && section.title === null) return;
    lines.push('', sectionHeading(labelOf(analysis, section, s), timed ? section.startMs : null));
    for (const point of points) {
      const startMs = timeOf(point);
      lines.push(`- ${quote(point)}${startMs === null ? '' : ` ${timeMarker(startMs)}`}`);
    }
  });
  const terms = analysis.keyTerms(KEY_TERMS);
  if (terms.length > 0) lines.push('', `## ${KEY_TERMS_HEADING}`, terms.join(', '));
  return `${lines.join('\n')}\n`;
}

function plannedSentences(
  analysis: TranscriptAnalysis,
  timeOf: (sentence: Sentence) => number | null,
): PlannedSentence[] {
  return analysis.sentences.map((sentence, i) => ({
    index: sentence.index,
    words: sentence.words,
    startMs: timeOf(sentence),
    opensParagraph: i === 0 || analysis.sentences[i - 1]?.segment !== sentence.segment,
  }));
}

/** A chapter's own title; a window's two or three heaviest terms of its own. */
function labelOf(analysis: TranscriptAnalysis, section: SectionPlan, position: number): string {
  if (section.title !== null && section.title.trim() !== '') return section.title;
  const terms = analysis.keyTerms(3, analysis.sentences.slice(section.from, section.to));
  // Three long terms make a heading that wraps; two say enough.
  const label = termLabel(terms.join(', ').length > 48 ? terms.slice(0, 2) : terms);
  return label || `Part ${position + 1}`;
}

const LEADING_FILLER = /^(?:(?:okay|ok|alright|all right|so|well|now|um|uh|and|right)\b[,.]?\s+)+/i;

/** The sentence as spoken, minus a leading "Okay, so", with Markdown metacharacters escaped. */
function quote(sentence: Sentence): string {
  let text = sentence.text;
  const trimmed = text.replace(LEADING_FILLER, '');
  if (trimmed !== text && trimmed.split(/\s+/).length >= 5) {
    text = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  }
  // A leading "#" or "1." would turn the quote into a heading or a list.
  return text
    .replace(/[\\`*_[\]<>]/g, '\\$&')
    .replace(/^#/, '\\#')
    .replace(/^(\d+)([.)])(?=\s)/, '$1\\$2');
}
