/**
 * Which sentences the offline notes quote: an overview of the whole lecture, then each section's
 * key points, none saying what another line of the notes already says.
 */

import type { Sentence, TranscriptAnalysis } from './offline.analysis.ts';
import type { SectionPlan } from './offline.sections.ts';

export interface Picks {
  /** In lecture order. */
  overview: Sentence[];
  /** One list per planned section, each in lecture order (possibly empty). */
  bullets: Sentence[][];
}

/** A lecture this long may get a second overview sentence, if one more announces its subject. */
const LONG_OVERVIEW_WORDS = 1500;
/** One key point, plus one per this many words of a section, up to four. */
const WORDS_PER_POINT = 300;
const MAX_POINTS_PER_SECTION = 4;

/**
 * Greedy by score over the whole lecture, overview first, each candidate checked only against
 * what is already picked: the cost is the sort plus (picked × tried) comparisons.
 */
export function pickSentences(
  analysis: TranscriptAnalysis,
  sections: readonly SectionPlan[],
  maxPoints: number,
): Picks {
  const picked: Sentence[] = [];
  const fresh = (sentence: Sentence) => !picked.some((other) => analysis.similar(sentence, other));

  const overviewCount = analysis.wordCount >= LONG_OVERVIEW_WORDS ? 2 : 1;
  const overview: Sentence[] = [];
  const byOverview = [...analysis.sentences].sort(
    (a, b) => b.overviewScore - a.overviewScore || a.index - b.index,
  );
  for (const sentence of byOverview) {
    if (overview.length >= overviewCount || sentence.overviewScore <= 0) break;
    // Past the first, only a sentence that says what the lecture covers reads as an overview.
    if ((overview.length > 0 && !sentence.announces) || !fresh(sentence)) continue;
    overview.push(sentence);
    picked.push(sentence);
  }

  const quotas = allocate(
    sections.map((section) => sectionWords(analysis, section)),
    maxPoints,
  );
  const sectionOf = new Int32Array(analysis.sentences.length).fill(-1);
  sections.forEach((section, s) => {
    sectionOf.fill(s, section.from, section.to);
  });
  const bullets: Sentence[][] = sections.map(() => []);
  let open = quotas.reduce((sum, quota) => sum + quota, 0);
  const byScore = [...analysis.sentences].sort((a, b) => b.score - a.score || a.index - b.index);
  for (const sentence of byScore) {
    if (open === 0 || sentence.score <= 0) break;
    const list = bullets[sectionOf[sentence.index] ?? -1];
    const quota = quotas[sectionOf[sentence.index] ?? -1] ?? 0;
    if (!list || list.length >= quota || !fresh(sentence)) continue;
    list.push(sentence);
    picked.push(sentence);
    open--;
  }
  for (const list of bullets) list.sort((a, b) => a.index - b.index);
  return { overview: overview.sort((a, b) => a.index - b.index), bullets };
}

function sectionWords(analysis: TranscriptAnalysis, section: SectionPlan): number {
  let words = 0;
  for (let i = section.from; i < section.to; i++) words += analysis.sentences[i]?.words ?? 0;
  return words;
}

/**
 * Points per section, growing with its length (a two-minute talk gets two), scaled down to
 * `total` by largest remainder (earlier sections first on a tie), with at least one per section
 * while the total allows.
 */
export function allocate(sectionWordCounts: readonly number[], total: number): number[] {
  const wanted = sectionWordCounts.map((words) =>
    Math.min(MAX_POINTS_PER_SECTION, 1 + Math.round(words / WORDS_PER_POINT)),
  );
  const sum = wanted.reduce((a, b) => a + b, 0);
  if (sum <= total) return wanted;
  const floor = total >= wanted.length ? 1 : 0;
  const spare = total - floor * wanted.length;
  const extra = wanted.map((w) => w - floor);
  const extraSum = extra.reduce((a, b) => a + b, 0) || 1;
  const shares = extra.map((e) => (e * spare) / extraSum);
  const quotas = shares.map((share) => floor + Math.floor(share));
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = shares
    .map((share, i) => ({ i, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    quotas[i] = (quotas[i] ?? 0) + 1;
    left--;
  }
  return quotas;
}
