/**
 * SRT and WebVTT → `TranscriptCue[]` (reference §E). @plussub/srt-vtt-parser reads the cues (cue
 * ids, timing lines → milliseconds, payload lines); this module only rewrites the input into the
 * shape that package reads correctly, then cleans the text (captions.cleaning.ts).
 *
 * Each rewrite answers a defect seen by running v2.0.5 (its only export is `parse`):
 * - BOM, CRLF, lone CR: it splits on `\n` only (ids and text keep `\r`; a lone-CR file gives no
 *   cues) and picks VTT only when the text starts with `WEBVTT` (after a BOM it runs the SRT
 *   reader, which throws a TypeError). So line endings are normalised, the BOM is dropped, and
 *   the format is ours to detect: a VTT input always reaches it headed `WEBVTT`.
 * - Timestamps: it reads the fraction after the one separator each format expects, as written:
 *   `00:00:01.500` in SRT or `00:00:01,500` in VTT is 1 ms, `01,5` is 15 ms, no fraction is
 *   1 ms, and a time without hours followed by settings is NaN. So each timing line is rewritten
 *   as `hh:mm:ss<sep>mmm --> hh:mm:ss<sep>mmm`; settings are dropped with it (the package has no
 *   use for them, and an id-less cue whose settings say `region:` is read as a REGION block).
 * - Blocks: in VTT it takes a block whose first line merely contains "note", "style" or
 *   "region" (any case) for a comment, so cues with ids like `footnote-cue` vanish; such ids are
 *   not passed on. Any other block without a timing line (a stray sequence number, text after
 *   a blank line inside a cue) makes it throw, and real NOTE/STYLE/REGION blocks carry nothing
 *   we read, so no line outside a cue is passed on except the id right above a timing line.
 * - A cue without text swallows the next cue (its id, timing line and text become the first
 *   cue's text), so such cues are dropped. A timing line that follows text without a blank
 *   line (sequence number run into the previous cue) is read as text, so every cue is passed on
 *   as its own block. A whitespace-only line after a cue's first line ends the cue there, and
 *   the text after it makes the package throw; YouTube ASR tracks pad cues with " " lines and by
 *   WebVTT only an empty line ends a cue, so such lines are not passed on and the cue goes on.
 * - Markup and entities are left in the text: that is the cleaning, by design ours.
 * On upgrading the package, re-run these cases against it: each rule fixed upstream can go.
 */

import { parse } from '@plussub/srt-vtt-parser';
import { assignSpeakerPrefixes, cleanPayload, dedupeRollingCues } from './captions.cleaning.ts';
import type { TranscriptCue } from './transcript-provider.ts';

export { decodeEntities, dedupeRollingCues } from './captions.cleaning.ts';

export type CaptionFormat = 'vtt' | 'srt';

/** What `parse` returns; the package's own types do not resolve under NodeNext and come as `any`. */
interface PackageResult {
  entries: { id: string; from: number; to: number; text: string }[];
}

// Hours optional (and any width); milliseconds after a comma or a period, 1–3 digits.
const TIMESTAMP = String.raw`(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?`;
const TIMING_LINE = new RegExp(String.raw`^\s*${TIMESTAMP}[ \t]*-->[ \t]*${TIMESTAMP}(?:\s.*)?$`);
const SEQUENCE_NUMBER = /^\s*\d+\s*$/;
// The package's VTT reader takes a block whose first line contains one of these for a comment.
const MISREAD_AS_COMMENT = /note|style|region/i;

/** Tells WebVTT from SRT by content; `null` when the text has no timing line at all. */
export function detectCaptionFormat(text: string): CaptionFormat | null {
  return formatOf(toLines(text));
}

/**
 * Parses SRT or WebVTT (detected by content) into cues sorted by start time, with markup and
 * entities removed, `<v>` voices and "Name: text" prefixes moved to `speaker`, and rolling ASR
 * repeats removed. Text that is neither format yields `[]`.
 */
export function parseCaptions(text: string): TranscriptCue[] {
  const lines = toLines(text);
  const format = formatOf(lines);
  if (format === null) return [];
  const { entries } = parse(packageInput(lines, format)) as PackageResult;
  const cues: TranscriptCue[] = entries
    .map(({ from, to, text: payload }) => ({
      startMs: from,
      endMs: Math.max(from, to),
      ...cleanPayload(payload.split('\n')),
    }))
    .filter((cue) => cue.text !== '');
  assignSpeakerPrefixes(cues);
  cues.sort((a, b) => a.startMs - b.startMs);
  return dedupeRollingCues(cues);
}

function toLines(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
}

function formatOf(lines: readonly string[]): CaptionFormat | null {
  const firstContent = lines.find((line) => line.trim() !== '');
  if (firstContent?.startsWith('WEBVTT')) return 'vtt';
  const timing = lines.find((line) => TIMING_LINE.test(line));
  if (!timing) return null;
  // Header-less VTT exists; the decimal separator is then the only tell.
  return timing.includes(',') ? 'srt' : 'vtt';
}

/** The input rewritten as the package reads it correctly: see the header for each rule. */
function packageInput(lines: readonly string[], format: CaptionFormat): string {
  const out = format === 'vtt' ? ['WEBVTT'] : [];
  let inCue = false;
  let id: string | undefined;
  for (const [index, line] of lines.entries()) {
    const timing = TIMING_LINE.exec(line);
    if (timing) {
      inCue = hasText(lines, index);
      if (inCue)
        out.push('', ...(id !== undefined && safeId(id, format) ? [id] : []), timingLine(timing, format));
      id = undefined;
    } else if (line === '') {
      inCue = false;
      id = undefined;
    } else if (line.trim() === '') {
      if (!inCue) id = undefined;
    } else if (inCue && !isRunInNumber(lines, index)) {
      out.push(line);
    } else {
      id = line;
    }
  }
  return out.join('\n');
}

function hasText(lines: readonly string[], timingIndex: number): boolean {
  for (let index = timingIndex + 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line === '' || TIMING_LINE.test(line)) return false;
    if (line.trim() !== '') return !isRunInNumber(lines, index);
  }
  return false;
}

/** SRT files with the blank line missing put the next sequence number straight after the text. */
function isRunInNumber(lines: readonly string[], index: number): boolean {
  const next = lines[index + 1];
  return SEQUENCE_NUMBER.test(lines[index] ?? '') && next !== undefined && TIMING_LINE.test(next);
}

function safeId(id: string, format: CaptionFormat): boolean {
  return !id.includes('-->') && !(format === 'vtt' && MISREAD_AS_COMMENT.test(id));
}

function timingLine(match: RegExpExecArray, format: CaptionFormat): string {
  const separator = format === 'srt' ? ',' : '.';
  const stamp = (hours = '0', minutes = '0', seconds = '0', fraction = '') =>
    `${hours.padStart(2, '0')}:${minutes.padStart(2, '0')}:${seconds.padStart(2, '0')}${separator}${fraction.padEnd(3, '0')}`;
  const [, h1, m1, s1, f1, h2, m2, s2, f2] = match;
  return `${stamp(h1, m1, s1, f1)} --> ${stamp(h2, m2, s2, f2)}`;
}
