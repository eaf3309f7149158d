/**
 * The one Markdown shape every summary has, whoever writes it (the model, the offline
 * summarizer):
 *
 * ```markdown
 * # Lecture title
 *
 * ## Overview
 * Two or three sentences on what the lecture covers.
 *
 * ## [00:00:05] First section (a chapter title when the source has chapters)
 * - a short bullet [00:01:10]
 * - **term**: its definition
 * - Example: a worked example
 *
 * ## [00:14:20] Second section
 * - ...
 *
 * ## Key terms
 * first term, second term, third term
 * ```
 *
 * Readings have the same shape without times. The offline summarizer adds one italic line under
 * the title saying its notes are quoted, not written. The service checks and links the times
 * afterwards (`notes.times.ts`), so summarizers write them plain.
 */

import { formatTimestamp } from '../transcripts/transcript.normalizer.ts';

export const OVERVIEW_HEADING = 'Overview';
export const KEY_TERMS_HEADING = 'Key terms';

/** `[hh:mm:ss]`, the marker transcripts and notes share. */
export const timeMarker = (ms: number): string => formatTimestamp(ms);

/** The level-1 heading: the title on one line, never empty. */
export function titleHeading(title: string, fallback = 'Lecture notes'): string {
  return `# ${title.replace(/\s+/g, ' ').trim() || fallback}`;
}

/** `## [hh:mm:ss] Title` for a recording's section, `## Title` for a reading's. */
export function sectionHeading(title: string, startMs: number | null): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  return startMs === null ? `## ${clean}` : `## ${timeMarker(startMs)} ${clean}`.trimEnd();
}

/**
 * Notes open with their title. A model that skipped it (a merge prompt followed loosely) gets the
 * item's own; a title it wrote is kept.
 */
export function withTitle(markdown: string, title: string): string {
  const body = markdown.replace(/^\s+/, '');
  return /^# \S/.test(body) ? body : `${titleHeading(title)}\n\n${body}`;
}
