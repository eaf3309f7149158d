/**
 * The times in a summary, checked and linked after it is written. A model may invent a time, or
 * copy one from the overlap of two parts into the wrong place; a time outside the transcript's
 * own range cannot be right, so it is dropped rather than shown. A time that stays becomes a
 * link that opens the recording at that moment when the source allows it.
 */

import { timeMarker } from './notes.format.ts';
import type { TimeLinker } from './notes-input.ts';

export interface TimeCheck {
  markdown: string;
  /** Times kept (linked or not). */
  kept: number;
  /** Times removed because they fall outside the range, or because the notes have no times. */
  dropped: number;
}

/**
 * `[hh:mm:ss]` or `[mm:ss]`, with a link after it when a model wrote one (its URL is never
 * trusted: ours replaces it), or the `(at hh:mm:ss)` form of older prompts.
 */
const TIME =
  /\[(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)(?:[.,]\d{1,3})?\](?:\([^)\s]*\))?|\(at (?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)\)/g;
const FENCE = /^\s*(?:```|~~~)/;

/**
 * Keeps the times inside `range` (whole seconds, so a cue at 5.2 s is cited as 00:00:05) and
 * drops every other one; with `range` null (a reading) every time goes.
 */
export function checkTimes(
  markdown: string,
  range: { startMs: number; endMs: number } | null,
  link: TimeLinker | null,
): TimeCheck {
  let kept = 0;
  let dropped = 0;
  let fenced = false;
  const first = range ? Math.floor(range.startMs / 1000) : 0;
  const last = range ? Math.ceil(range.endMs / 1000) : -1;
  const lines = markdown.split('\n').map((line) => {
    if (FENCE.test(line)) fenced = !fenced;
    if (fenced || FENCE.test(line)) return line;
    let changed = false;
    const replaced = line.replace(TIME, (...groups: Array<string | undefined>) => {
      const [h, m, s] = groups[2] !== undefined ? groups.slice(1, 4) : groups.slice(4, 7);
      const seconds = Number(h ?? 0) * 3600 + Number(m) * 60 + Number(s);
      changed = true;
      if (seconds < first || seconds > last) {
        dropped++;
        return '';
      }
      kept++;
      const marker = timeMarker(seconds * 1000);
      const url = link?.(seconds);
      // A `)` would end the Markdown link early.
      return url ? `${marker}(${url.replace(/[()\s]/g, percentEncode)})` : marker;
    });
    return changed ? tidy(replaced) : line;
  });
  return { markdown: lines.join('\n'), kept, dropped };
}

/** The spaces and empty brackets a removed time leaves behind. */
function tidy(line: string): string {
  return line
    .replace(/\(\s*\)/g, '')
    .replace(/^(#{1,6}) +/, '$1 ')
    .replace(/([^\s]) {2,}/g, '$1 ')
    .replace(/ +([.,;:])/g, '$1')
    .trimEnd();
}

const percentEncode = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
