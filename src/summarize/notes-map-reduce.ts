/**
 * Notes for a transcript of any length from a model with a bounded context: a transcript that
 * fits is one request for the whole notes; a longer one is split into parts summarized in
 * parallel (map), whose notes are merged in one request (reduce), or in groups and then again
 * when they are too long for one. Never a sequential chain of refinements: every request sees
 * only transcript or notes, never the previous request's output about something else.
 *
 * A reply cut off at the output cap is never used: its part is halved and both halves redone (at
 * most twice over), and a cut-off merge is redone as a merge of merged halves. A part whose reply
 * is empty or says there is nothing to summarize is asked again once, then left out (and
 * reported).
 */

import { setImmediate as nextTurn } from 'node:timers/promises';
import { llmContextExceededError, llmReplyTruncatedError } from './openai.errors.ts';
import { classifyReply } from './openai.responses.ts';
import { type Part, type PartUnit, packParts, splitPart, totalTokens, toUnits } from './parts.ts';
import {
  buildMergeMessages,
  buildPartMessages,
  buildSingleMessages,
  type PromptContext,
  type PromptMessage,
} from './prompts.ts';
import type { LeftOutPart, NotesOptions, SummarizeInput, SummarizeProgress } from './summarizer.ts';
import { badResponseError, transcriptEmptyError } from './summarizer.ts';
import type { TokenBudget } from './token-budget.ts';
import { countPromptTokens, countTokens } from './tokens.ts';

/** One model reply, as the map and reduce steps need it. */
export interface ModelReply {
  text: string;
  /** Cut off at the output cap. */
  truncated: boolean;
}

/**
 * Sends one request (through the summarizer's shared concurrency limit). `promptTokens` is the
 * prompt's count, known here from the parts' counts, so the prompt is not tokenized again for
 * the check of what the server read (openai.responses.ts).
 */
export type AskModel = (messages: PromptMessage[], promptTokens: number) => Promise<ModelReply>;

export interface NotesRequest {
  input: SummarizeInput;
  notes: NotesOptions;
  budget: TokenBudget;
  ask: AskModel;
  onProgress?: ((progress: SummarizeProgress) => void) | undefined;
}

export interface WrittenNotes {
  text: string;
  /** Parts the transcript ended up in, after every split. */
  parts: number;
  leftOut: LeftOutPart[];
}

/** Less room than this for transcript next to the prompt, and the context setting is wrong. */
const MIN_PART_TOKENS = 256;
/** What `<notes part="12">` … `</notes>` and the blank line after add around each note. */
// Counted on first use, so importing this module does not load the tokenizer (tokens.ts).
let noteWrapTokens: number | undefined;
const noteWrapCost = () => (noteWrapTokens ??= countTokens('<notes part="12">\n\n</notes>\n\n'));
/**
 * How often a cut-off part is halved again, so it ends in at most 4 pieces. A model that cuts off
 * every reply (repeating itself, or a server cap below ours) stays cut off however small the
 * piece, and halving down to `splitPart`'s floor cost hundreds of requests per lecture.
 */
const MAX_SPLIT_DEPTH = 2;

/**
 * Counting a lecture's tokens takes about 50 µs a paragraph, several milliseconds in all, and a
 * server in the same process answers no read meanwhile: the paragraphs are counted this many at
 * a time, and the event loop gets a turn between slices and after packing.
 */
const SEGMENTS_PER_TURN = 50;

type Outcome =
  | { kind: 'notes'; text: string; part: Part; complete: boolean }
  /** `number` is the original part's (1-based, as its prompt says), for every piece of it. */
  | { kind: 'left-out'; reason: LeftOutPart['reason']; part: Part; number: number };

export async function writeNotes(request: NotesRequest): Promise<WrittenNotes> {
  const { input, budget } = request;
  const context: PromptContext = {
    title: input.title,
    kind: input.kind,
    chapters: input.chapters,
    notes: request.notes,
  };
  const endMs = input.range?.endMs ?? null;
  const singleOverhead = countPromptTokens(buildSingleMessages(context, ''));
  // The widest part label and time span any part can have, so every part's prompt fits.
  const partOverhead = countPromptTokens(
    buildPartMessages(context, { transcript: '', number: 9999, total: 9999, startMs: endMs, endMs }),
  );
  const singleRoom = budget.partRoomFor(singleOverhead);
  const partRoom = budget.partRoomFor(partOverhead);
  const room = Math.min(singleRoom, partRoom);
  if (room < MIN_PART_TOKENS) {
    throw llmContextExceededError({
      message: `LLM_CONTEXT_TOKENS (${budget.contextTokens}) leaves only ${room} tokens for the transcript next to the prompt (${Math.max(singleOverhead, partOverhead)} tokens) and the reply (${budget.replyTokens} tokens). Raise LLM_CONTEXT_TOKENS.`,
    });
  }
  const units = await unitsOf(input, room);
  if (units.length === 0) throw transcriptEmptyError();
  const whole = totalTokens(units) <= singleRoom ? packParts(units, singleRoom, endMs) : [];
  const single = whole.length === 1;
  await nextTurn();
  const parts = single ? whole : packParts(units, partRoom, endMs);
  if (!single) await nextTurn();
  const progress = createProgress(request.onProgress, parts.length);
  const steps = createSteps(context, request, progress, { single: singleOverhead, part: partOverhead });

  const outcomes = (
    await Promise.all(
      parts.map((part, i) => steps.mapPart(part, { number: i + 1, total: parts.length }, single)),
    )
  ).flat();
  const leftOut = outcomes.flatMap((outcome): LeftOutPart[] =>
    outcome.kind === 'left-out'
      ? [{ part: outcome.number, startMs: outcome.part.startMs, reason: outcome.reason }]
      : [],
  );
  const notes = outcomes.flatMap((outcome) => (outcome.kind === 'notes' ? [outcome] : []));
  const [first] = notes;
  if (!first) {
    throw badResponseError({
      message: `The language model wrote no notes for any of the ${outcomes.length} part(s) of the transcript: every reply was empty or said there was nothing to summarize.`,
    });
  }
  if (outcomes.length === 1 && first.complete) return { text: first.text, parts: 1, leftOut };
  const text = await steps.merge(
    notes.map((outcome) => outcome.text),
    true,
  );
  return { text, parts: outcomes.length, leftOut };
}

/** `toUnits` a slice at a time (each paragraph's units depend on that paragraph alone). */
async function unitsOf(input: NotesRequest['input'], room: number): Promise<PartUnit[]> {
  const units: PartUnit[] = [];
  for (let start = 0; start < input.segments.length; start += SEGMENTS_PER_TURN) {
    if (start > 0) await nextTurn();
    units.push(
      ...toUnits({ ...input, segments: input.segments.slice(start, start + SEGMENTS_PER_TURN) }, room),
    );
  }
  return units;
}

function createSteps(
  context: PromptContext,
  { ask, budget }: NotesRequest,
  progress: ReturnType<typeof createProgress>,
  /** The tokens of a whole-transcript prompt and of a part's prompt, without the transcript. */
  overhead: { single: number; part: number },
) {
  /** Asks once more when the reply is empty or says there is nothing to summarize. */
  async function askTwice(messages: PromptMessage[], promptTokens: number) {
    let reply = await ask(messages, promptTokens);
    if (!reply.truncated && classifyReply(reply.text) !== 'notes') reply = await ask(messages, promptTokens);
    return { reply, kind: reply.truncated ? ('truncated' as const) : classifyReply(reply.text) };
  }

  async function mapPart(
    part: Part,
    label: { number: number; total: number },
    whole: boolean,
    depth = 0,
  ): Promise<Outcome[]> {
    const messages = whole
      ? buildSingleMessages(context, part.text)
      : buildPartMessages(context, {
          transcript: part.text,
          ...label,
          startMs: part.startMs,
          endMs: part.endMs,
        });
    const { reply, kind } = await askTwice(messages, (whole ? overhead.single : overhead.part) + part.tokens);
    if (kind === 'truncated') {
      const halves = depth < MAX_SPLIT_DEPTH ? splitPart(part) : null;
      if (!halves) {
        throw llmReplyTruncatedError({
          message: `The language model's reply was cut off at the ${budget.replyTokens}-token reply limit even for a piece of only ${part.tokens} tokens of transcript (part ${label.number}, halved ${depth} time(s)), so its notes would be incomplete (the model may be repeating itself). A larger LLM_CONTEXT_TOKENS (now ${budget.contextTokens}) raises the reply limit, a quarter of it up to 4096 tokens.`,
        });
      }
      progress.split();
      return (await Promise.all(halves.map((half) => mapPart(half, label, false, depth + 1)))).flat();
    }
    progress.partDone();
    return kind === 'notes'
      ? [{ kind: 'notes', text: reply.text, part, complete: whole }]
      : [{ kind: 'left-out', reason: kind, part, number: label.number }];
  }

  /** One request when the notes fit; else groups that fit are merged first, level by level. */
  async function merge(notes: readonly string[], final: boolean): Promise<string> {
    const room = budget.roomFor(countPromptTokens(buildMergeMessages(context, { notes: [], final })));
    const costs = notes.map((note) => countTokens(note) + noteWrapCost());
    if (costs.reduce((sum, cost) => sum + cost, 0) <= room) return mergeOnce(notes, final);
    const groups = groupWithin(notes, costs, room);
    if (groups.every((group) => group.length === 1)) {
      throw llmContextExceededError({
        message: `The notes of neighbouring parts are too long to merge within LLM_CONTEXT_TOKENS (${budget.contextTokens}). Raise LLM_CONTEXT_TOKENS.`,
      });
    }
    const merged = await Promise.all(
      groups.map((group) => (group.length === 1 ? (group[0] as string) : mergeOnce(group, false))),
    );
    return merge(merged, final);
  }

  async function mergeOnce(notes: readonly string[], final: boolean): Promise<string> {
    progress.merging(notes.length);
    // Notes are short next to a transcript: counted whole.
    const messages = buildMergeMessages(context, { notes, final });
    const { reply, kind } = await askTwice(messages, countPromptTokens(messages));
    if (kind === 'truncated') {
      // Two notes whose merge is cut off cannot be halved into anything smaller.
      if (notes.length < 3) {
        throw llmReplyTruncatedError({
          message: `The language model's reply was cut off at the ${budget.replyTokens}-token reply limit while merging the notes of two parts, so the notes would be incomplete. A larger LLM_CONTEXT_TOKENS (now ${budget.contextTokens}) raises the reply limit, a quarter of it up to 4096 tokens.`,
        });
      }
      const middle = Math.ceil(notes.length / 2);
      const halves = [notes.slice(0, middle), notes.slice(middle)];
      const merged = await Promise.all(
        halves.map((half) => (half.length === 1 ? (half[0] as string) : mergeOnce(half, false))),
      );
      return mergeOnce(merged, final);
    }
    if (kind !== 'notes') {
      throw badResponseError({
        message: "The language model returned no notes when merging the parts' notes.",
      });
    }
    return reply.text;
  }

  return { mapPart, merge };
}

/** Consecutive notes in groups of at most `room` tokens (a note over it alone in its group). */
function groupWithin(notes: readonly string[], costs: readonly number[], room: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  notes.forEach((note, i) => {
    const cost = costs[i] ?? 0;
    if (current.length > 0 && size + cost > room) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(note);
    size += cost;
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * `current` counts finished parts; `total` is the parts plus one step for the merge (none for
 * a transcript that fits one request), and grows when a cut-off part is split.
 */
function createProgress(onProgress: NotesRequest['onProgress'], initialParts: number) {
  let parts = initialParts;
  let done = 0;
  const total = () => (parts > 1 ? parts + 1 : 1);
  const emit = (message: string) => onProgress?.({ current: done, total: total(), message });
  emit(parts > 1 ? `Summarizing ${parts} parts` : 'Summarizing transcript');
  return {
    split() {
      parts += 1;
    },
    partDone() {
      done += 1;
      if (parts > 1) emit(`Summarized part ${done} of ${parts}`);
    },
    merging(count: number) {
      emit(`Merging notes of ${count} parts`);
    },
  };
}
