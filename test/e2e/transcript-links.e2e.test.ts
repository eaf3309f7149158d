import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** The demo's first lecture, a Panopto session, and its viewer link in the Canvas item. */
const LECTURE = 10001;
const VIEWER =
  'https://demo.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b01';
/** The demo's reading Page (text, no times) and its Zoom link (fetchable only by upload). */
const READING = 10002;
const ZOOM_ITEM = 20002;

type Segment = {
  start_ms: number | null;
  start: string | null;
  text: string;
  link: string | null;
  source: number;
};

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await syncDemo(t.app, [101, 102]);
});
afterEach(() => t.close());

async function segments(id: number): Promise<Segment[]> {
  const response = await t.app.inject({
    method: 'GET',
    url: `/items/${id}/transcript`,
    headers: { accept: 'application/json' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().segments;
}

describe('time links of transcript segments', () => {
  it("link every timed segment to the recording at that second, as the notes' times do", async () => {
    await t.app.inject({ method: 'POST', url: `/items/${LECTURE}/fetch-transcript` });
    await t.deps.runner.runUntilEmpty();
    const found = await segments(LECTURE);
    expect(found.length).toBeGreaterThan(3);
    for (const segment of found) {
      expect(segment.start_ms, segment.text).not.toBeNull();
      const seconds = Math.floor((segment.start_ms ?? 0) / 1000);
      expect(segment.link).toBe(`${VIEWER}&start=${seconds}`);
    }
    // Not all at one moment: each segment names its own.
    expect(new Set(found.map((segment) => segment.link)).size).toBe(found.length);
  });

  it('leave untimed text and uploaded transcripts unlinked', async () => {
    await t.app.inject({ method: 'POST', url: `/items/${READING}/fetch-transcript` });
    await t.deps.runner.runUntilEmpty();
    const reading = await segments(READING);
    expect(reading.length).toBeGreaterThan(0);
    expect(reading.every((segment) => segment.start_ms === null && segment.link === null)).toBe(true);

    const upload = await t.app.inject({
      method: 'PUT',
      url: `/items/${ZOOM_ITEM}/transcript`,
      payload: 'WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nWelcome to the review.\n',
      headers: { 'content-type': 'text/vtt' },
    });
    expect(upload.statusCode, upload.body).toBe(200);
    const uploaded = await segments(ZOOM_ITEM);
    expect(uploaded).toEqual([
      { start_ms: 1_000, start: '00:00:01', text: 'Welcome to the review.', link: null, source: 0 },
    ]);
  });
});
