/**
 * Splits a transcript into parts that each fit one request, counted in tokens. Parts break
 * between segments (paragraphs); a segment too long for any part is cut between sentences, then
 * between words. Each part after the first repeats the end of the one before (a few whole
 * paragraphs or sentences, at most 5% of the budget), so a thought cut at the break is read
 * whole at least once.
 */

import { timeMarker } from './notes.format.ts';
import type { SummarizeInput } from './summarizer.ts';
import { overlapBudget } from './token-budget.ts';
import { countTokens, sliceByTokens } from './tokens.ts';

/** A segment, or a piece of one too long for a part, as the model reads it. */
export interface PartUnit {
  startMs: number | null;
  /** Whether `rendered` opens with the `[hh:mm:ss]` marker (timed recordings only). */
  marked: boolean;
  text: string;
  rendered: string;
  tokens: number;
}

export interface Part {
  units: readonly PartUnit[];
  /** How many leading units repeat the end of the previous part. */
  overlap: number;
  /** The rendered units, a blank line apart: the transcript portion of the prompt. */
  text: string;
  /** `text` counted exactly. */
  tokens: number;
  /** When the part's own content starts; `null` without times. */
  startMs: number | null;
  /** When the next part starts (the transcript's end for the last one); `null` without times. */
  endMs: number | null;
}

const SEPARATOR = '\n\n';
// Counted on first use, so importing this module does not load the tokenizer (tokens.ts).
let separatorTokens: number | undefined;
const separatorCost = () => (separatorTokens ??= countTokens(SEPARATOR));
const MAX_OVERLAP_UNITS = 3;
const MAX_OVERLAP_SENTENCES = 3;
/** Below this, a part whose notes were cut off is not split further: the model is looping. */
const MIN_SPLIT_TOKENS = 128;
/** Each step packs the transcript again; six get within 2% of the even size. */
const EVENING_STEPS = 6;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** The input's segments as units of at most `maxTokens` each, in order; blank ones dropped. */
export function toUnits(input: SummarizeInput, maxTokens: number): PartUnit[] {
  return input.segments.flatMap((segment) => {
    const text = segment.text.trim();
    if (text === '') return [];
    const unit = makeUnit(segment.startMs, text, input.kind === 'recording' && segment.startMs !== null);
    return unit.tokens <= maxTokens ? [unit] : splitUnit(unit, maxTokens);
  });
}

export function totalTokens(units: readonly PartUnit[]): number {
  return units.reduce((sum, unit) => sum + unit.tokens + separatorCost(), 0);
}

/**
 * Packs units into parts of at most `budget` tokens each (units must each fit). The parts are
 * evened out: as many as filling each to the budget would give, but of about the same size, so
 * that the last one is not a sliver and parallel requests finish together.
 *
 * The packings tried are sized by the sum of their units' counts, which costs no tokenizing;
 * only the parts chosen are counted, once each. Joined text can count a token or so off that
 * sum where units meet, so should a chosen part then not fit, everything is packed again
 * counting each part tried. Counting every part tried each time, as that does, tokenized a
 * lecture seven times over.
 */
export function packParts(units: readonly PartUnit[], budget: number, rangeEndMs: number | null): Part[] {
  const sized = evenedPacking(units, budget, summedPart).map(counted);
  const parts = sized.every((part) => part.tokens <= budget)
    ? sized
    : evenedPacking(units, budget, countedPart);
  return parts.map((part, i) => ({ ...part, endMs: parts[i + 1]?.startMs ?? rangeEndMs ?? lastStart(part) }));
}

/** A part of `units` (the leading `overlap` of them repeating the previous part's end). */
type PartBuilder = (units: readonly PartUnit[], overlap: number) => Part;

function evenedPacking(units: readonly PartUnit[], budget: number, build: PartBuilder): Part[] {
  const overlap = overlapBudget(budget);
  let parts = packGreedy(units, budget, overlap, build);
  // The smallest size that still gives as many parts, found in a few halvings of the gap.
  let low = Math.ceil(totalTokens(units) / parts.length);
  let high = budget;
  for (let step = 0; step < EVENING_STEPS && parts.length > 1 && low < high; step += 1) {
    const middle = Math.floor((low + high) / 2);
    const tried = packGreedy(units, middle, overlap, build);
    if (tried.length === parts.length) {
      parts = tried;
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return parts;
}

function packGreedy(
  units: readonly PartUnit[],
  budget: number,
  overlapTokens: number,
  build: PartBuilder,
): Part[] {
  const parts: Part[] = [];
  let lead: PartUnit[] = [];
  let next = 0;
  while (next < units.length) {
    let take = 0;
    let size = totalTokens(lead);
    while (next + take < units.length && (take === 0 || size + cost(units[next + take]) <= budget)) {
      size += cost(units[next + take]);
      take += 1;
    }
    let part = build([...lead, ...units.slice(next, next + take)], lead.length);
    // The sum of the units' counts is an estimate of the joined text's; the part must fit exactly.
    while (part.tokens > budget && (take > 1 || lead.length > 0)) {
      if (take > 1) take -= 1;
      else lead = [];
      part = build([...lead, ...units.slice(next, next + take)], lead.length);
    }
    parts.push(part);
    lead = overlapOf(units.slice(next, next + take), overlapTokens);
    next += take;
  }
  return parts;
}

/**
 * Halves a part whose notes came back cut off: between units near the middle of its own
 * content, else inside its one unit. `null` when it is too small to split.
 */
export function splitPart(part: Part): [Part, Part] | null {
  const lead = part.units.slice(0, part.overlap);
  let own = part.units.slice(part.overlap);
  const ownTokens = own.reduce((sum, unit) => sum + unit.tokens, 0);
  if (ownTokens < MIN_SPLIT_TOKENS) return null;
  const [only] = own;
  if (own.length === 1 && only) own = splitUnit(only, Math.ceil(only.tokens / 2));
  if (own.length < 2) return null;
  let at = 1;
  for (let sum = own[0]?.tokens ?? 0; at < own.length - 1 && sum < ownTokens / 2; at += 1) {
    sum += own[at]?.tokens ?? 0;
  }
  const first = own.slice(0, at);
  const second = own.slice(at);
  const secondPart = buildPart(overlapOf(first, overlapBudget(part.tokens)), second, part.endMs);
  return [buildPart(lead, first, secondPart.startMs ?? part.endMs), secondPart];
}

function cost(unit: PartUnit | undefined): number {
  return (unit?.tokens ?? 0) + separatorCost();
}

function makeUnit(startMs: number | null, text: string, marked: boolean): PartUnit {
  const rendered = marked && startMs !== null ? `${timeMarker(startMs)} ${text}` : text;
  return { startMs, marked, text, rendered, tokens: countTokens(rendered) };
}

function buildPart(lead: readonly PartUnit[], own: readonly PartUnit[], endMs: number | null): Part {
  return { ...countedPart([...lead, ...own], lead.length), endMs };
}

/** `units` joined, with `tokens` the sum of their counts and separators: not yet counted. */
const summedPart: PartBuilder = (units, overlap) => ({
  units,
  overlap,
  text: units.map((unit) => unit.rendered).join(SEPARATOR),
  tokens: totalTokens(units) - separatorCost(),
  startMs: units.slice(overlap).find((unit) => unit.startMs !== null)?.startMs ?? null,
  endMs: null,
});

const counted = (part: Part): Part => ({ ...part, tokens: countTokens(part.text) });

const countedPart: PartBuilder = (units, overlap) => counted(summedPart(units, overlap));

function lastStart(part: Part): number | null {
  return part.units.findLast((unit) => unit.startMs !== null)?.startMs ?? null;
}

/** Pieces of at most `maxTokens` each, every piece keeping the unit's time marker. */
function splitUnit(unit: PartUnit, maxTokens: number): PartUnit[] {
  const markerTokens = unit.marked && unit.startMs !== null ? countTokens(`${timeMarker(unit.startMs)} `) : 0;
  const limit = Math.max(1, maxTokens - markerTokens);
  return splitText(unit.text, limit).flatMap((piece) => {
    const split = makeUnit(unit.startMs, piece, unit.marked);
    // Counting pieces one by one can be off by a token from counting them joined.
    return split.tokens <= maxTokens || maxTokens <= 1
      ? [split]
      : splitUnit(split, maxTokens - (split.tokens - maxTokens));
  });
}

function splitText(text: string, limit: number): string[] {
  const atoms = sentencesOf(text).flatMap((sentence) =>
    countTokens(sentence) <= limit
      ? [sentence]
      : sentence
          .split(/\s+/)
          .filter((word) => word !== '')
          .flatMap((word) => (countTokens(word) <= limit ? [word] : sliceByTokens(word, limit))),
  );
  const pieces: string[] = [];
  let current = '';
  let size = 0;
  for (const atom of atoms) {
    const added = countTokens(current === '' ? atom : ` ${atom}`);
    if (current !== '' && size + added > limit) {
      pieces.push(current);
      current = atom;
      size = countTokens(atom);
    } else {
      current = current === '' ? atom : `${current} ${atom}`;
      size += added;
    }
  }
  if (current !== '') pieces.push(current);
  return pieces;
}

function sentencesOf(text: string): string[] {
  return Array.from(sentenceSegmenter.segment(text), ({ segment }) => segment.trim()).filter(
    (sentence) => sentence !== '',
  );
}

/**
 * The end of a part, to open the next one with: its last few whole units when they fit the
 * overlap budget, else the last few sentences of its last unit (without a time marker: they
 * are context, not where that unit starts).
 */
function overlapOf(units: readonly PartUnit[], budget: number): PartUnit[] {
  const whole: PartUnit[] = [];
  let size = 0;
  for (let i = units.length - 1; i >= 0 && whole.length < MAX_OVERLAP_UNITS; i -= 1) {
    const unit = units[i] as PartUnit;
    if (size + cost(unit) > budget) break;
    whole.unshift(unit);
    size += cost(unit);
  }
  // Never a whole part again: the next one would open with a copy of its neighbour.
  if (whole.length === units.length) whole.shift();
  if (whole.length > 0) return whole;
  const last = units.at(-1);
  if (!last) return [];
  const tail: string[] = [];
  size = 0;
  for (const sentence of sentencesOf(last.text).reverse().slice(0, MAX_OVERLAP_SENTENCES)) {
    const tokens = countTokens(sentence) + 1;
    if (size + tokens > budget) break;
    tail.unshift(sentence);
    size += tokens;
  }
  const text = tail.join(' ');
  return text === '' || text === last.text.replace(/\s+/g, ' ') ? [] : [makeUnit(last.startMs, text, false)];
}
