/**
 * Reading Panopto's `DeliveryInfo.aspx` JSON (reference §B2), pure. The shapes follow yt-dlp's
 * Panopto extractor (`yt_dlp/extractor/panopto.py`): `{ Delivery: { Duration, AvailableLanguages,
 * Timestamps, … } }` for a session, a bare array of `{ Caption, Time, Duration? }` for one caption
 * track, and `{ ErrorCode, ErrorMessage }` for a refusal (2: login required). Panopto documents
 * none of it, so every field is read defensively.
 */

import type { Chapter } from '../transcript-provider.ts';

/** Panopto's caption language codes (its `core.js`, as yt-dlp's `_SUB_LANG_MAPPING` lists them). */
const LANGUAGE_TAGS: Readonly<Record<number, string>> = {
  0: 'en-US',
  1: 'en-GB',
  2: 'es-MX',
  3: 'es-ES',
  4: 'de-DE',
  5: 'fr-FR',
  6: 'nl-NL',
  7: 'th-TH',
  8: 'zh-CN',
  9: 'zh-TW',
  10: 'ko-KR',
  11: 'ja-JP',
  12: 'ru-RU',
  13: 'pt-PT',
  14: 'pl-PL',
  15: 'en-AU',
  16: 'da-DK',
  17: 'fi-FI',
  18: 'hu-HU',
  19: 'nb-NO',
  20: 'sv-SE',
  21: 'it-IT',
};

export interface DeliverySummary {
  durationSeconds: number | null;
  /** Caption languages in Panopto's order; null when the answer does not list them at all. */
  languages: number[] | null;
  chapters: Chapter[];
}

export type DeliveryAnswer =
  | { kind: 'error'; code: number; message: string | null }
  | { kind: 'delivery'; delivery: DeliverySummary }
  | { kind: 'captions'; lines: readonly unknown[] }
  | { kind: 'unknown' };

export function readDeliveryAnswer(json: unknown): DeliveryAnswer {
  if (Array.isArray(json)) return { kind: 'captions', lines: json };
  if (!isRecord(json)) return { kind: 'unknown' };
  const code = toNumber(json.ErrorCode);
  if (code !== null) {
    return { kind: 'error', code, message: typeof json.ErrorMessage === 'string' ? json.ErrorMessage : null };
  }
  const delivery = json.Delivery;
  if (!isRecord(delivery)) return { kind: 'unknown' };
  return {
    kind: 'delivery',
    delivery: {
      durationSeconds: toNumber(delivery.Duration),
      languages: readLanguages(delivery),
      chapters: readChapters(delivery.Timestamps),
    },
  };
}

/** BCP 47 for a Panopto language code; null for codes outside the map (the "Default" track). */
export function languageTag(code: number): string | null {
  return LANGUAGE_TAGS[code] ?? null;
}

/**
 * The order to try caption tracks in: for each preferred tag, the exact match and then tracks of
 * the same language (`de` or `de-AT` takes `de-DE`), before the next preference; the rest in
 * Panopto's order.
 */
export function orderLanguages(available: readonly number[], preferred: readonly string[]): number[] {
  const tagged = available.map((code) => ({ code, tag: languageTag(code)?.toLowerCase() ?? null }));
  const ordered: number[] = [];
  const add = (code: number) => {
    if (!ordered.includes(code)) ordered.push(code);
  };
  for (const wanted of preferred.map((tag) => tag.trim().toLowerCase()).filter(Boolean)) {
    const primary = wanted.split('-')[0];
    for (const track of tagged) if (track.tag === wanted) add(track.code);
    for (const track of tagged) if (track.tag?.split('-')[0] === primary) add(track.code);
  }
  for (const track of tagged) add(track.code);
  return ordered;
}

/**
 * A caption track's lines as SRT, so the shared caption parser cleans them like any file (as
 * yt-dlp's `_json2srt` does). A line without `Duration` ends where the next begins, the last one
 * at the session's end.
 */
export function captionLinesToSrt(lines: readonly unknown[], durationSeconds: number | null): string {
  const timed = lines
    .filter(isRecord)
    .map((line) => ({
      time: toNumber(line.Time),
      duration: toNumber(line.Duration),
      text: captionText(line.Caption),
    }))
    .filter(
      (line): line is { time: number; duration: number | null; text: string } =>
        line.time !== null && line.time >= 0 && line.text !== '',
    )
    .sort((a, b) => a.time - b.time);
  return timed
    .map((line, index) => {
      const next = timed[index + 1]?.time;
      const end =
        line.duration && line.duration > 0
          ? line.time + line.duration
          : (next ?? durationSeconds ?? line.time);
      return `${index + 1}\n${srtTime(line.time)} --> ${srtTime(Math.max(end, line.time))}\n${line.text}\n`;
    })
    .join('\n');
}

/** `Timestamps` entries Panopto shows in the table of contents, in time order. */
export function readChapters(timestamps: unknown): Chapter[] {
  if (!Array.isArray(timestamps)) return [];
  const chapters: Chapter[] = [];
  for (const entry of timestamps) {
    if (!isRecord(entry) || entry.ShowInTableOfContents !== true) continue;
    const time = toNumber(entry.Time);
    const title = typeof entry.Caption === 'string' ? entry.Caption.replace(/\s+/g, ' ').trim() : '';
    if (time === null || time < 0 || title === '') continue;
    const startMs = Math.round(time * 1000);
    if (!chapters.some((chapter) => chapter.startMs === startMs && chapter.title === title)) {
      chapters.push({ startMs, title });
    }
  }
  return chapters.sort((a, b) => a.startMs - b.startMs);
}

function readLanguages(delivery: Record<string, unknown>): number[] | null {
  const listed = Array.isArray(delivery.AvailableLanguages)
    ? delivery.AvailableLanguages
    : Array.isArray(delivery.AvailableCaptions)
      ? delivery.AvailableCaptions.map((caption) => (isRecord(caption) ? caption.Language : null))
      : null;
  if (!listed) return null;
  const codes = listed
    .map(toNumber)
    .filter((code): code is number => code !== null && Number.isInteger(code));
  return [...new Set(codes)];
}

function captionText(value: unknown): string {
  if (typeof value !== 'string') return '';
  // A blank line would end the SRT block, and an arrow would read as a timing line.
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/\n\s*\n+/g, '\n')
    .replace(/-->/g, '->')
    .trim();
}

function srtTime(seconds: number): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  return `${pad(h)}:${pad(m)}:${pad(s)},${pad(ms % 1000, 3)}`;
}

function toNumber(value: unknown): number | null {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(number) ? number : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
