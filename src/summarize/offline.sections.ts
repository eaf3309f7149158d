/**
 * Where the offline notes' sections begin: at the source's chapters when it has them, else at
 * paragraph starts about every nine minutes of a recording, else (readings, untimed captions) at
 * equal runs of words, moved to a nearby paragraph start.
 */

export interface PlannedSentence {
  readonly index: number;
  readonly words: number;
  /** Start of the paragraph the sentence starts in; `null` when untimed. */
  readonly startMs: number | null;
  /** Whether the sentence is the first one of its paragraph. */
  readonly opensParagraph: boolean;
}

export interface SectionPlan {
  /** The chapter's time, or the first sentence's; `null` when the notes carry no times. */
  startMs: number | null;
  /** The chapter's title; `null` for a window, which is labelled by its own terms. */
  title: string | null;
  /** Indices into the sentence list: `from` inclusive, `to` exclusive. */
  from: number;
  to: number;
}

/** About one section per this much lecture: a 50-minute recording gets five or six. */
const WINDOW_MS = 9 * 60_000;
/** What a speaker says in a window, for untimed text (~145 words a minute). */
const WINDOW_WORDS = 1300;
/** No section shorter than this, so that short transcripts get fewer sections. */
const MIN_SECTION_WORDS = 250;
const MIN_SECTIONS = 3;
const MAX_SECTIONS = 8;

/**
 * Sections in lecture order, none empty. `chapters` must be in time order; they are used only
 * when `timed`. `maxSections` caps windows (not chapters, which the source chose).
 */
export function planSections(
  sentences: readonly PlannedSentence[],
  options: {
    timed: boolean;
    chapters: ReadonlyArray<{ startMs: number; title: string }>;
    maxSections: number;
  },
): SectionPlan[] {
  if (sentences.length === 0) return [];
  const words = sentences.reduce((sum, sentence) => sum + sentence.words, 0);
  const byLength = Math.max(1, Math.floor(words / MIN_SECTION_WORDS));
  const times = options.timed ? timesOf(sentences) : null;
  if (times && options.chapters.length > 0) return chapterSections(times, options.chapters);
  if (times && isNonDecreasing(times)) {
    const first = times[0] ?? 0;
    const duration = (times.at(-1) ?? first) - first;
    const count = Math.min(clampCount(duration / WINDOW_MS), byLength, options.maxSections);
    const targets = Array.from({ length: count - 1 }, (_, k) => first + ((k + 1) * duration) / count);
    return runsAt(
      cutsNear(times, paragraphStarts(sentences), targets),
      sentences.length,
      (from) => times[from] ?? null,
    );
  }
  // Untimed, or several recordings that each start at 00:00:00: cut by words, in text order.
  const offsets = wordOffsets(sentences);
  const count = Math.min(clampCount(words / WINDOW_WORDS), byLength, options.maxSections);
  const targets = Array.from({ length: count - 1 }, (_, k) => ((k + 1) * words) / count);
  const tolerance = words / count / 4;
  const cuts = cutsNear(offsets, paragraphStarts(sentences), targets, tolerance);
  return runsAt(cuts, sentences.length, (from) =>
    options.timed ? (sentences[from]?.startMs ?? null) : null,
  );
}

function clampCount(windows: number): number {
  return Math.min(MAX_SECTIONS, Math.max(MIN_SECTIONS, Math.round(windows)));
}

/**
 * Each sentence's time; an untimed paragraph amid timed ones (another source in the same item)
 * takes the time before it, so that it stays where it is in the text.
 */
function timesOf(sentences: readonly PlannedSentence[]): number[] | null {
  const firstTimed = sentences.find((sentence) => sentence.startMs !== null)?.startMs;
  if (firstTimed === undefined || firstTimed === null) return null;
  let last = firstTimed;
  return sentences.map((sentence) => {
    last = sentence.startMs ?? last;
    return last;
  });
}

function isNonDecreasing(values: readonly number[]): boolean {
  for (let i = 1; i < values.length; i++) if ((values[i] ?? 0) < (values[i - 1] ?? 0)) return false;
  return true;
}

function paragraphStarts(sentences: readonly PlannedSentence[]): number[] {
  const starts: number[] = [];
  for (const sentence of sentences)
    if (sentence.opensParagraph && sentence.index > 0) starts.push(sentence.index);
  return starts;
}

function wordOffsets(sentences: readonly PlannedSentence[]): number[] {
  let offset = 0;
  return sentences.map((sentence) => {
    const at = offset;
    offset += sentence.words;
    return at;
  });
}

/**
 * For each target position, the paragraph start nearest to it (earlier on a tie), strictly after
 * the previous cut. With a `tolerance`, a target with no paragraph start that close is cut at the
 * nearest sentence instead.
 */
function cutsNear(
  positions: readonly number[],
  candidates: readonly number[],
  targets: readonly number[],
  tolerance = Number.POSITIVE_INFINITY,
): number[] {
  const cuts: number[] = [];
  let c = 0;
  let s = 1;
  for (const target of targets) {
    const previous = cuts.at(-1) ?? 0;
    while (c < candidates.length && (candidates[c] ?? 0) <= previous) c++;
    while (
      c + 1 < candidates.length &&
      distance(positions, candidates[c + 1], target) < distance(positions, candidates[c], target)
    )
      c++;
    let cut = candidates[c];
    if (cut === undefined || distance(positions, cut, target) > tolerance) {
      // Timed notes cut only at paragraph starts, the only times they know.
      if (tolerance === Number.POSITIVE_INFINITY) continue;
      s = Math.max(s, previous + 1);
      while (s + 1 < positions.length && distance(positions, s + 1, target) < distance(positions, s, target))
        s++;
      cut = s < positions.length ? s : undefined;
    }
    if (cut !== undefined && cut > previous) cuts.push(cut);
  }
  return cuts;
}

function distance(positions: readonly number[], index: number | undefined, target: number): number {
  const position = index === undefined ? undefined : positions[index];
  return position === undefined ? Number.POSITIVE_INFINITY : Math.abs(position - target);
}

function runsAt(
  cuts: readonly number[],
  length: number,
  startOf: (from: number) => number | null,
): SectionPlan[] {
  const bounds = [0, ...cuts, length];
  const plans: SectionPlan[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i] ?? 0;
    const to = bounds[i + 1] ?? length;
    if (to > from) plans.push({ startMs: startOf(from), title: null, from, to });
  }
  return plans;
}

/**
 * A sentence belongs to the last chapter starting at or before its paragraph's time, so a
 * paragraph that straddles a chapter mark stays whole in the earlier chapter. Sentences before
 * the first chapter form a section of their own; chapters with no sentence are left out.
 */
function chapterSections(
  times: readonly number[],
  chapters: ReadonlyArray<{ startMs: number; title: string }>,
): SectionPlan[] {
  const plans: SectionPlan[] = [];
  let chapter = -1;
  for (let i = 0; i < times.length; i++) {
    const time = times[i] ?? 0;
    const before = chapter;
    while (chapter + 1 < chapters.length && (chapters[chapter + 1]?.startMs ?? 0) <= time) chapter++;
    const current = plans.at(-1);
    if (current && chapter === before) {
      current.to = i + 1;
      continue;
    }
    const mark = chapters[chapter];
    plans.push({
      startMs: mark ? mark.startMs : time,
      title: mark ? mark.title : null,
      from: i,
      to: i + 1,
    });
  }
  return plans;
}
