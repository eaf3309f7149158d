import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// The demo's Zoom share link (item 20002) cannot be fetched without Zoom credentials: the case
// an upload is for.
const ZOOM_ITEM = 20002;

const VTT = [
  '\uFEFFWEBVTT',
  '',
  'NOTE exported from the Zoom player',
  '',
  '1',
  '00:00:01.000 --> 00:00:04.000 align:start',
  'Jane Doe: Welcome to the review session.',
  '',
  '2',
  '00:01:10.500 --> 00:01:14.000',
  'Jane Doe: Let us go over elasticity &amp; its measures.',
  '',
].join('\r\n');

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await syncDemo(t.app, [102]);
});
afterEach(() => t.close());

const put = (body: string | Buffer, contentType?: string, id = ZOOM_ITEM) =>
  t.app.inject({
    method: 'PUT',
    url: `/items/${id}/transcript`,
    payload: body,
    headers: contentType ? { 'content-type': contentType } : {},
  });
const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

describe('PUT /items/{id}/transcript', () => {
  it('stores an uploaded WebVTT file as the item’s transcript, with its cues, and marks the source upload', async () => {
    const response = await put(VTT, 'text/vtt');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ item_id: ZOOM_ITEM, bytes: expect.any(Number) });

    const item = (await get(`/items/${ZOOM_ITEM}`)).json();
    expect(item).toMatchObject({ status: 'TRANSCRIPT_READY', provider: 'upload' });
    expect(item.media_sources[0]).toMatchObject({ provider: 'upload', found_in: 'upload', status: 'ready' });
    // The Zoom link is still known, after the upload.
    expect(item.media_sources[1]).toMatchObject({ provider: 'zoom', found_in: 'item_url' });

    const text = (await get(`/items/${ZOOM_ITEM}/transcript`)).body;
    expect(text).toBe(
      '[00:00:01] Jane Doe: Welcome to the review session. Let us go over elasticity & its measures.',
    );
    const json = (await get(`/items/${ZOOM_ITEM}/transcript`, { accept: 'application/json' })).json();
    expect(json.segments).toEqual([
      {
        start_ms: 1000,
        start: '00:00:01',
        text: 'Jane Doe: Welcome to the review session. Let us go over elasticity & its measures.',
        // An uploaded file is no recording to open at a moment.
        link: null,
        source: 0,
      },
    ]);
    const cues = JSON.parse(readFileSync(join(t.dataDir, 'transcripts', `${ZOOM_ITEM}.json`), 'utf8'));
    expect(cues.sources[0].cues[0]).toEqual({
      start_ms: 1000,
      end_ms: 4000,
      speaker: 'Jane Doe',
      text: 'Welcome to the review session.',
    });
  });

  it('sniffs SRT sent without a content type, and takes plain text as untimed paragraphs', async () => {
    const srt =
      '1\n00:00:02,000 --> 00:00:05,000\nFirst caption.\n\n2\n00:00:06,000 --> 00:00:08,000\nSecond one.\n';
    expect((await put(srt, 'application/octet-stream')).statusCode).toBe(200);
    expect((await get(`/items/${ZOOM_ITEM}/transcript`)).body).toMatch(
      /^\[00:00:02\] First caption\. Second one\.$/,
    );

    expect((await put('Notes I took by hand.\n\nA second paragraph.', 'text/plain')).statusCode).toBe(200);
    const json = (await get(`/items/${ZOOM_ITEM}/transcript`, { accept: 'application/json' })).json();
    expect(json.segments).toEqual([
      { start_ms: null, start: null, text: 'Notes I took by hand.', link: null, source: 0 },
      { start_ms: null, start: null, text: 'A second paragraph.', link: null, source: 0 },
    ]);
  });

  it('refuses an empty, unreadable or oversized body with the error shape and keeps the stored transcript', async () => {
    expect((await put(VTT, 'text/vtt')).statusCode).toBe(200);
    const before = (await get(`/items/${ZOOM_ITEM}/transcript`)).body;

    const empty = await put('  \n', 'text/plain');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ error: { code: 'transcript.upload_empty', message: expect.any(String) } });

    const broken = await put('WEBVTT\n\nthis has no timing lines', 'text/vtt');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('transcript.upload_unparseable');

    const json = await put(JSON.stringify({ text: VTT }), 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('transcript.upload_unsupported_type');

    const png = await put(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      'application/octet-stream',
    );
    expect(png.statusCode).toBe(400);
    expect(png.json().error.code).toBe('transcript.upload_unparseable');

    const huge = await put(Buffer.alloc(6 * 1024 * 1024, 'a'), 'text/plain');
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toMatch(/^request\./);

    expect((await get(`/items/${ZOOM_ITEM}/transcript`)).body).toBe(before);
    expect((await get(`/items/${ZOOM_ITEM}`)).json().status).toBe('TRANSCRIPT_READY');
  });

  it('answers 404 for an unknown item, and a reset forgets the upload', async () => {
    const missing = await put(VTT, 'text/vtt', 999_999);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('item.not_found');

    expect((await put(VTT, 'text/vtt')).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/items/${ZOOM_ITEM}/reset` })).statusCode).toBe(200);
    const item = (await get(`/items/${ZOOM_ITEM}`)).json();
    expect(item).toMatchObject({ status: 'DISCOVERED', provider: 'zoom', transcript_path: null });
    expect(item.media_sources.map((source: { provider: string }) => source.provider)).toEqual(['zoom']);
  });

  it('lets notes be made from an uploaded transcript', async () => {
    const lecture = Array.from(
      { length: 40 },
      (_, i) =>
        `${i + 1}\n00:${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'},000 --> 00:${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '59' : '29'},000\n` +
        `Price elasticity of demand measures how strongly quantity responds to a change in price, case ${i + 1}.`,
    ).join('\n\n');
    expect((await put(lecture, 'application/x-subrip')).statusCode).toBe(200);
    const queued = await t.app.inject({ method: 'POST', url: `/items/${ZOOM_ITEM}/summarize` });
    expect(queued.statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
    const item = (await get(`/items/${ZOOM_ITEM}`)).json();
    expect(item).toMatchObject({ status: 'SUMMARY_READY', error_code: null });
    expect((await get(`/items/${ZOOM_ITEM}/summary`)).body).toMatch(/elasticity/i);
  });
});
