import { describe, expect, it } from 'vitest';
import {
  createRecordingsIndex,
  type DateWindow,
  INDEX_TTL_MS,
  monthWindows,
} from './zoom.recordings-index.ts';
import type { ZoomMeeting } from './zoom.schemas.ts';

const NOW = Date.parse('2026-03-31T10:00:00Z');
const share = (token: string) => `https://us02web.zoom.us/rec/share/${token}`;
const meeting = (token: string): ZoomMeeting => ({ share_url: share(token), recording_files: [] });

function setUp(byWindow: Record<string, ZoomMeeting[]>, options: { searchMonths?: number } = {}) {
  const clock = { now: NOW };
  const listed: DateWindow[] = [];
  const index = createRecordingsIndex({
    list: async (window) => {
      listed.push(window);
      return byWindow[window.to] ?? [];
    },
    now: () => clock.now,
    searchMonths: options.searchMonths ?? 6,
  });
  return { index, listed, clock };
}

describe('monthWindows', () => {
  it('covers the months back from today without gaps or overlaps, clamping short months', () => {
    expect(monthWindows(NOW, 3)).toEqual([
      { from: '2026-03-01', to: '2026-03-31' },
      { from: '2026-02-01', to: '2026-02-28' },
      { from: '2026-01-01', to: '2026-01-31' },
    ]);
    expect(monthWindows(Date.parse('2026-05-15T00:00:00Z'), 2)).toEqual([
      { from: '2026-04-16', to: '2026-05-15' },
      { from: '2026-03-16', to: '2026-04-15' },
    ]);
  });
});

describe('createRecordingsIndex', () => {
  it('lists month by month, newest first, and stops at the month holding the link', async () => {
    const { index, listed } = setUp({ '2026-01-31': [meeting('old')] });
    expect(await index.find(`${share('old')}?pwd=x`)).toEqual(meeting('old'));
    expect(listed.map((window) => window.to)).toEqual(['2026-03-31', '2026-02-28', '2026-01-31']);
  });

  it('finds a play link by the play_url of one of its files', async () => {
    const withFile: ZoomMeeting = {
      share_url: share('m'),
      recording_files: [{ play_url: 'https://us02web.zoom.us/rec/play/file-1' }],
    };
    const { index } = setUp({ '2026-03-31': [withFile] });
    expect(await index.find('https://school.zoom.us/rec/play/file-1')).toBe(withFile);
  });

  it('reuses what it listed for other links, until the cache expires', async () => {
    const { index, listed, clock } = setUp({ '2026-03-31': [meeting('a'), meeting('b')] });
    await index.find(share('a'));
    await index.find(share('b'));
    expect(await index.find(share('missing'))).toBeNull();
    expect(await index.find(share('missing'))).toBeNull();
    expect(listed).toHaveLength(6);
    clock.now += INDEX_TTL_MS;
    await index.find(share('a'));
    expect(listed).toHaveLength(7);
  });

  it('lists a month once for concurrent searches, and again after it failed', async () => {
    let calls = 0;
    const index = createRecordingsIndex({
      list: async () => {
        calls++;
        if (calls === 1) throw new Error('Zoom is down');
        return [meeting('a')];
      },
      now: () => NOW,
      searchMonths: 1,
    });
    await expect(index.find(share('a'))).rejects.toThrow('Zoom is down');
    const [first, second] = await Promise.all([index.find(share('a')), index.find(share('a'))]);
    expect(first).toEqual(meeting('a'));
    expect(second).toBe(first);
    expect(calls).toBe(2);
  });

  it('stops waiting when the caller aborts', async () => {
    const index = createRecordingsIndex({
      list: () => new Promise(() => {}),
      now: () => NOW,
      searchMonths: 1,
    });
    const controller = new AbortController();
    const found = index.find(share('a'), controller.signal);
    controller.abort();
    await expect(found).rejects.toBe(controller.signal.reason);
  });
});
