/**
 * The times in a summary, checked and linked after it is written. A model may invent a time, or
 * copy one from the overlap of two parts into the wrong place; a time outside the recording
 * cannot be right, so it is dropped rather than shown. A time that stays becomes a link that
 * opens the recording at that moment when the source allows it.
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

/** `h:mm:ss` or `mm:ss`, fractions of a second tolerated. */
const T = String.raw`(?:\d{1,3}:)?[0-5]?\d:[0-5]\d(?:[.,]\d{1,3})?`;
const TO = String.raw`\s*(?:-|–|—|to)\s*`;
/**
 * The forms models write a moment in: `[hh:mm:ss]` (with a link after it when a model made one
 * up: its URL is never trusted), `[a–b]` ranges, `(at hh:mm:ss)` and `(hh:mm:ss)`, and a bare
 * `h:mm:ss` (hours required: a bare `10:30` may be a time of day or a ratio).
 */
const TIME = new RegExp(
  [
    String.raw`\[\s*(${T})(?:${TO}${T})?\s*\](?:\([^)\s]*\))?`,
    String.raw`\(\s*(?:at\s+)?(${T})(?:${TO}${T})?\s*\)`,
    String.raw`(?<![\d:.,])(\d{1,3}:[0-5]\d:[0-5]\d)(?![\d:])`,
  ].join('|'),
  'g',
);
const FENCE = /^\s*(?:```|~~~)/;
/** Marks where a dropped time was, so only the space around it is tidied. */
const HOLE = '\u0000';

/**
 * Keeps the times inside `range` (whole seconds, so a cue at 5.2 s is cited as 00:00:05) and
 * drops every other one; with `range` null (a reading) every time goes. A range of times is
 * shown as its start.
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
    const fence = FENCE.test(line);
    if (fence) fenced = !fenced;
    if (fenced || fence) return line;
    let holes = false;
    const replaced = line.replace(TIME, (match: string, ...groups: unknown[]) => {
      const time = groups.slice(0, 3).find((group): group is string => typeof group === 'string') ?? match;
      const seconds = toSeconds(time);
      if (seconds < first || seconds > last) {
        dropped++;
        holes = true;
        return HOLE;
      }
      kept++;
      const marker = timeMarker(seconds * 1000);
      const url = link?.(seconds);
      // A `)` or a space would end the Markdown link early.
      return url ? `${marker}(${url.replace(/[()\s]/g, percentEncode)})` : marker;
    });
    return holes ? closeHoles(replaced) : replaced;
  });
  return { markdown: lines.join('\n'), kept, dropped };
}

function toSeconds(time: string): number {
  const [s = 0, m = 0, h = 0] = time
    .replace(/[.,]\d+$/, '')
    .split(':')
    .map(Number)
    .reverse();
  return h * 3600 + m * 60 + s;
}

/** Removes dropped times with the one space before each, and a heading's extra space. */
function closeHoles(line: string): string {
  return line
    .replace(new RegExp(` ?${HOLE}`, 'g'), '')
    .replace(/^(#{1,6}) {2,}/, '$1 ')
    .trimEnd();
}

const percentEncode = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
