/**
 * Finds a share or play link among the account's cloud recordings. No Zoom endpoint resolves a
 * share token (reference §C), so the recordings are listed (`GET /users/me/recordings`) one
 * month at a time, newest first, until a meeting's `share_url` or a file's `play_url` names the
 * link. What was listed is kept for a few minutes, so a course's many links list the account once.
 */

import { raceAbort } from './zoom.http.ts';
import { recordingKey } from './zoom.links.ts';
import type { ZoomMeeting } from './zoom.schemas.ts';

/** Inclusive `YYYY-MM-DD` dates, as the listing's `from` and `to` take them. */
export interface DateWindow {
  from: string;
  to: string;
}

export interface RecordingsIndex {
  /** The meeting the link belongs to, or null when no searched month holds it. */
  find(link: string, signal?: AbortSignal): Promise<ZoomMeeting | null>;
}

// Long enough for a course's sync to reuse one listing; short enough that a recording added
// meanwhile is found on the next sync.
export const INDEX_TTL_MS = 5 * 60_000;

export function createRecordingsIndex(options: {
  /** Every meeting of one window, all pages. Runs without any one caller's signal. */
  list: (window: DateWindow) => Promise<ZoomMeeting[]>;
  now: () => number;
  searchMonths: number;
  ttlMs?: number;
}): RecordingsIndex {
  const ttlMs = options.ttlMs ?? INDEX_TTL_MS;
  type Generation = {
    startedAt: number;
    windows: DateWindow[];
    byKey: Map<string, ZoomMeeting>;
    listings: Map<number, Promise<void>>;
  };
  let generation: Generation | null = null;

  const current = (): Generation => {
    const now = options.now();
    if (!generation || now - generation.startedAt >= ttlMs) {
      generation = {
        startedAt: now,
        windows: monthWindows(now, options.searchMonths),
        byKey: new Map(),
        listings: new Map(),
      };
    }
    return generation;
  };

  const listWindow = (gen: Generation, index: number): Promise<void> => {
    const known = gen.listings.get(index);
    if (known) return known;
    const window = gen.windows[index];
    if (!window) return Promise.resolve();
    const listing = options.list(window).then(
      (meetings) => {
        for (const meeting of meetings) {
          for (const key of meetingKeys(meeting)) if (!gen.byKey.has(key)) gen.byKey.set(key, meeting);
        }
      },
      (error: unknown) => {
        // A failed month is listed again by the next fetch rather than remembered as empty.
        gen.listings.delete(index);
        throw error;
      },
    );
    gen.listings.set(index, listing);
    return listing;
  };

  return {
    async find(link, signal) {
      const key = recordingKey(link);
      if (!key) return null;
      const gen = current();
      for (let index = 0; index < gen.windows.length; index++) {
        const hit = gen.byKey.get(key);
        if (hit) return hit;
        await raceAbort(listWindow(gen, index), signal);
      }
      return gen.byKey.get(key) ?? null;
    },
  };
}

function meetingKeys(meeting: ZoomMeeting): string[] {
  const keys = [recordingKey(meeting.share_url)];
  for (const file of meeting.recording_files) keys.push(recordingKey(file.play_url));
  return keys.filter((key): key is string => key !== null);
}

/**
 * `months` back-to-back windows of one calendar month each, the newest ending today (UTC):
 * the listing's range is commonly cited as one month at most (reference §C, UNCONFIRMED).
 */
export function monthWindows(nowMs: number, months: number): DateWindow[] {
  const today = new Date(nowMs);
  const windows: DateWindow[] = [];
  for (let index = 0; index < months; index++) {
    const to = monthsBefore(today, index);
    const from = monthsBefore(today, index + 1);
    from.setUTCDate(from.getUTCDate() + 1);
    windows.push({ from: isoDate(from), to: isoDate(to) });
  }
  return windows;
}

/** The same day `months` earlier, clamped to the month's last day (31 March → 28/29 February). */
function monthsBefore(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() - months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay)));
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
