import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestPdf } from '../../src/transcripts/reading.test-utils.ts';
import { FAKE_TEACHER_ID, type FakeCanvas, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { type FakeYouTube, startFakeYouTube } from '../fakes/fake-youtube-server.ts';
import { type FakeZoom, startFakeZoom } from '../fakes/fake-zoom-server.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * One course that keeps its lectures everywhere a real one does: Pages embedding Panopto,
 * Canvas media, YouTube and Zoom recordings (one page with two), a PDF, a reading page, the
 * course-wide Panopto LTI link and a restricted Panopto session. Sync finds each; the bulk
 * fetch takes each to TRANSCRIPT_READY or to its own error code; a re-sync with nothing
 * changed reads no page body and no file.
 */

const COURSE = 777;
const SESSION = {
  public: '11111111-1111-4111-8111-aaaaaaaaaaaa',
  second: '22222222-2222-4222-8222-bbbbbbbbbbbb',
  restricted: '33333333-3333-4333-8333-cccccccccccc',
};
const VIDEO = { captioned: 'dQw4w9WgXcQ', silent: 'abcdefghijk' };
const ZOOM_TOKEN = 'q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP';
const STORAGE = 'https://storage.canvas-notes.test';

const ITEM = {
  panopto: 1,
  media: 2,
  youtube: 3,
  zoom: 4,
  twoVideos: 5,
  pdf: 6,
  reading: 7,
  lti: 8,
  restricted: 9,
  zoomElsewhere: 10,
} as const;

let canvas: FakeCanvas;
let panopto: FakePanopto;
let youtube: FakeYouTube;
let zoom: FakeZoom;
let t: TestApp;

const lines = (words: string[], from = 0) =>
  words.map((Caption, index) => ({ Caption, Time: from + index * 4, Duration: 4 }));

beforeAll(async () => {
  panopto = await startFakePanopto();
  youtube = await startFakeYouTube();
  zoom = await startFakeZoom();
  canvas = await startFakeCanvas({
    storageOrigin: STORAGE,
    state: {
      courses: [
        {
          id: COURSE,
          name: 'BIO 201',
          course_code: 'BIO201',
          workflow_state: 'available',
          term: null,
          pages: [],
          files: [],
          modules: [
            {
              id: 7001,
              name: 'Week 1',
              items: [
                { id: ITEM.panopto, title: 'Lecture 1', type: 'Page', page_url: 'lecture-1' },
                { id: ITEM.media, title: 'Lab demo', type: 'Page', page_url: 'lab-demo' },
                { id: ITEM.youtube, title: 'Guest talk', type: 'Page', page_url: 'guest-talk' },
                { id: ITEM.zoom, title: 'Review session', type: 'Page', page_url: 'review' },
                { id: ITEM.twoVideos, title: 'Lectures 2 and 3', type: 'Page', page_url: 'lectures-2-3' },
                { id: ITEM.pdf, title: 'Week 1 notes.pdf', type: 'File', content_id: 9001 },
                { id: ITEM.reading, title: 'Reading guide', type: 'Page', page_url: 'reading-guide' },
                {
                  id: ITEM.lti,
                  title: 'Panopto recordings',
                  type: 'ExternalTool',
                  content_id: 3,
                  external_url: 'https://school.hosted.panopto.com/Panopto/LTI/LTI.aspx',
                },
                { id: ITEM.restricted, title: 'Lecture 4 (staff only)', type: 'Page', page_url: 'lecture-4' },
                {
                  id: ITEM.zoomElsewhere,
                  title: 'Someone else’s recording',
                  type: 'Page',
                  page_url: 'other-zoom',
                },
              ],
            },
          ],
        },
      ],
    },
  });

  const embed = (id: string, title: string) =>
    `<iframe title="${title}" src="${panopto.origin}/Panopto/Pages/Embed.aspx?id=${id}&amp;autoplay=false"></iframe>`;
  const page = (url: string, title: string, body: string) =>
    canvas.content.addPage(COURSE, { url, title, body });
  page('lecture-1', 'Lecture 1', `<h2>Lecture 1</h2><p>${embed(SESSION.public, 'Lecture 1: cells')}</p>`);
  page(
    'lab-demo',
    'Lab demo',
    `<p><iframe class="instructure_inline_media_comment video_comment" title="Lab demo" data-media-type="video" data-media-id="m-lab" src="${canvas.baseUrl}/media_attachments_iframe/5001?embedded=true&amp;type=video"></iframe></p>`,
  );
  page(
    'guest-talk',
    'Guest talk',
    `<iframe title="Guest talk" src="https://www.youtube.com/embed/${VIDEO.captioned}?start=30"></iframe>`,
  );
  page(
    'review',
    'Review session',
    `<p>Recording: <a href="https://example-edu.zoom.us/rec/share/${ZOOM_TOKEN}">Review session</a></p><p>Passcode: 8#xY2!</p>`,
  );
  page(
    'lectures-2-3',
    'Lectures 2 and 3',
    `<p>${embed(SESSION.second, 'Lecture 2')}</p><p><iframe title="Lecture 3" src="https://www.youtube-nocookie.com/embed/${VIDEO.silent}"></iframe></p>`,
  );
  page(
    'reading-guide',
    'Reading guide',
    '<h2>Before Thursday</h2><p>Read chapter 3 on membranes and osmosis.</p>',
  );
  page('lecture-4', 'Lecture 4', embed(SESSION.restricted, 'Lecture 4'));
  page(
    'other-zoom',
    'Other',
    '<a href="https://other-school.zoom.us/rec/share/not-in-this-account">Watch</a>',
  );

  canvas.content.addVideoFile(COURSE, {
    id: 5001,
    mediaId: 'm-lab',
    tracks: [
      {
        locale: 'en',
        kind: 'subtitles',
        user_id: FAKE_TEACHER_ID,
        content: 'WEBVTT\n\n00:00:01.000 --> 00:00:05.000\nPipette ten microlitres into the first well.\n',
      },
    ],
  });
  canvas.content.addFile(COURSE, {
    id: 9001,
    display_name: 'Week 1 notes.pdf',
    content_type: 'application/pdf',
    content: buildTestPdf({
      pages: [['Osmosis', 'Water moves toward the side with more dissolved particles.']],
    }),
  });

  panopto.sessions.set(SESSION.public, {
    kind: 'delivery',
    tracks: [
      { language: 0, lines: lines(['Good morning.', 'Today: the cell membrane.', 'It has two layers.']) },
    ],
    timestamps: [{ Caption: 'Introduction', Time: 0, ShowInTableOfContents: true }],
  });
  panopto.sessions.set(SESSION.second, {
    kind: 'delivery',
    tracks: [{ language: 0, lines: lines(['Lecture two is about enzymes.']) }],
  });
  panopto.sessions.set(SESSION.restricted, { kind: 'login' });
  youtube.videos.set(VIDEO.captioned, {
    tracks: [{ languageCode: 'en', name: 'English', cues: [[0, 3, 'Thank you for having me.']] }],
  });
  youtube.videos.set(VIDEO.silent, { tracks: undefined });
  zoom.recordings.push({
    shareToken: ZOOM_TOKEN,
    startTime: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    transcript: 'WEBVTT\n\n1\n00:00:02.000 --> 00:00:06.000\nDr. Lee: Questions about the exam first.\n',
  });

  const fetch = rewriteFetch({
    [canvas.baseUrl]: canvas.baseUrl,
    [panopto.origin]: panopto.origin,
    [STORAGE]: canvas.storage.origin,
    'https://www.youtube.com': youtube.origin,
    'https://zoom.us': zoom.origin,
    'https://*.zoom.us': zoom.origin,
  });
  t = await createTestApp({
    config: {
      demo: false,
      canvas: { baseUrl: canvas.baseUrl, token: canvas.token, timeoutMs: 2_000 },
      zoom: { ...zoom.credentials, shareLinks: false },
    },
    overrides: { fetch },
  });
});

afterAll(async () => {
  await t?.close();
  await Promise.all([canvas?.close(), panopto?.close(), youtube?.close(), zoom?.close()]);
});

const get = async (url: string) => (await t.app.inject({ method: 'GET', url })).json();
const post = (url: string) => t.app.inject({ method: 'POST', url });
const sync = async () => {
  expect((await post('/me/courses/refresh')).statusCode).toBe(200);
  expect((await post(`/courses/${COURSE}/modules/refresh`)).statusCode).toBe(200);
};
const sourcesOf = async (id: number) =>
  (await get(`/items/${id}`)).media_sources.map((s: { provider: string; ref: string; found_in: string }) => [
    s.provider,
    s.ref,
    s.found_in,
  ]);

describe('finding and fetching every lecture a course holds', () => {
  it('finds each recording and reading at sync, within one request per page or file', async () => {
    await sync();
    expect(canvas.count('page')).toBe(8);
    expect(canvas.count('file')).toBe(1);
    expect(canvas.count('pages_index')).toBe(0);

    expect(await sourcesOf(ITEM.panopto)).toEqual([['panopto', SESSION.public, 'page_body']]);
    expect(await sourcesOf(ITEM.media)).toEqual([['canvas_media', 'attachment:5001', 'page_body']]);
    expect(await sourcesOf(ITEM.youtube)).toEqual([['youtube', VIDEO.captioned, 'page_body']]);
    expect(await sourcesOf(ITEM.zoom)).toEqual([
      ['zoom', `https://example-edu.zoom.us/rec/share/${ZOOM_TOKEN}`, 'page_body'],
    ]);
    expect(await sourcesOf(ITEM.twoVideos)).toEqual([
      ['panopto', SESSION.second, 'page_body'],
      ['youtube', VIDEO.silent, 'page_body'],
    ]);
    expect(await sourcesOf(ITEM.pdf)).toEqual([['reading', 'file:9001', 'file']]);
    expect(await sourcesOf(ITEM.reading)).toEqual([['reading', 'page:reading-guide', 'page_body']]);
    expect(await sourcesOf(ITEM.lti)).toEqual([]);

    const youtubeItem = await get(`/items/${ITEM.youtube}`);
    expect(youtubeItem).toMatchObject({
      provider: 'youtube',
      media_url: `https://www.youtube.com/watch?v=${VIDEO.captioned}`,
      status: 'DISCOVERED',
    });
    // The passcode written beside the link is kept for the fetch, and never shown.
    expect(JSON.stringify(await get(`/items/${ITEM.zoom}`))).not.toContain('8#xY2!');
    expect(await get(`/items/${ITEM.lti}`)).toMatchObject({
      status: 'DISCOVERED',
      provider: null,
      error_code: 'panopto.no_session_id',
    });
  });

  it('queues recordings by default and readings only when asked, skipping what names no recording', async () => {
    const bulk = await post(`/courses/${COURSE}/fetch-transcript`);
    expect(bulk.statusCode).toBe(202);
    const { jobs, skipped } = bulk.json();
    expect(jobs.map((job: { item_id: number }) => job.item_id).sort((a: number, b: number) => a - b)).toEqual(
      [
        ITEM.panopto,
        ITEM.media,
        ITEM.youtube,
        ITEM.zoom,
        ITEM.twoVideos,
        ITEM.restricted,
        ITEM.zoomElsewhere,
      ],
    );
    expect(skipped).toEqual(
      expect.arrayContaining([
        { item_id: ITEM.pdf, reason: 'reading_excluded' },
        { item_id: ITEM.reading, reason: 'reading_excluded' },
        { item_id: ITEM.lti, reason: 'no_transcript_source' },
      ]),
    );
    await t.deps.runner.runUntilEmpty();

    // Items that failed are not done, and neither is one whose transcript lacks a recording
    // that failed: a later bulk action tries them again (captions may have been added since).
    const readings = await post(`/courses/${COURSE}/fetch-transcript?include=readings`);
    expect(
      readings
        .json()
        .jobs.map((job: { item_id: number }) => job.item_id)
        .sort((a: number, b: number) => a - b),
    ).toEqual([ITEM.twoVideos, ITEM.pdf, ITEM.reading, ITEM.restricted, ITEM.zoomElsewhere]);
    await t.deps.runner.runUntilEmpty();
  });

  it('takes each recording to TRANSCRIPT_READY, or to its own error code', async () => {
    const status = async (id: number) => {
      const item = await get(`/items/${id}`);
      return [item.status, item.error_code];
    };
    for (const id of [
      ITEM.panopto,
      ITEM.media,
      ITEM.youtube,
      ITEM.zoom,
      ITEM.twoVideos,
      ITEM.pdf,
      ITEM.reading,
    ]) {
      expect([id, ...(await status(id))]).toEqual([id, 'TRANSCRIPT_READY', null]);
    }
    expect(await status(ITEM.restricted)).toEqual(['FAILED', 'panopto.login_required']);
    expect(await status(ITEM.zoomElsewhere)).toEqual(['FAILED', 'zoom.recording_not_found']);

    const text = async (id: number) =>
      (await t.app.inject({ method: 'GET', url: `/items/${id}/transcript` })).body;
    expect(await text(ITEM.panopto)).toMatch(/^\[00:00:00\] Good morning\. Today: the cell membrane\./);
    expect(await text(ITEM.media)).toBe('[00:00:01] Pipette ten microlitres into the first well.');
    expect(await text(ITEM.youtube)).toBe('[00:00:00] Thank you for having me.');
    expect(await text(ITEM.zoom)).toBe('[00:00:02] Dr. Lee: Questions about the exam first.');
    expect(await text(ITEM.pdf)).toMatch(
      /^Osmosis\n\nWater moves toward the side with more dissolved particles\.$/,
    );
    expect(await text(ITEM.reading)).toBe('Before Thursday\n\nRead chapter 3 on membranes and osmosis.');

    // One recording of two had captions: the transcript holds it, and the other says why not.
    expect(await text(ITEM.twoVideos)).toBe('[00:00:00] Lecture two is about enzymes.');
    const two = await get(`/items/${ITEM.twoVideos}`);
    expect(
      two.media_sources.map((s: { provider: string; status: string; error_code: string | null }) => [
        s.provider,
        s.status,
        s.error_code,
      ]),
    ).toEqual([
      ['panopto', 'ready', null],
      ['youtube', 'failed', 'youtube.no_captions'],
    ]);

    // Cues are stored beside the text, with Panopto's chapter marks.
    const cues = JSON.parse(readFileSync(join(t.dataDir, 'transcripts', `${ITEM.panopto}.json`), 'utf8'));
    expect(cues.sources[0]).toMatchObject({
      provider: 'panopto',
      ref: SESSION.public,
      timed: true,
      chapters: [{ start_ms: 0, title: 'Introduction' }],
    });
    expect(cues.sources[0].cues[0]).toEqual({ start_ms: 0, end_ms: 4000, text: 'Good morning.' });
  });

  it('reads no page body and no file again on a re-sync when nothing changed, and only the page that did', async () => {
    const pages = canvas.count('page');
    const files = canvas.count('file');
    await sync();
    expect(canvas.count('pages_index')).toBe(1);
    expect(canvas.count('page')).toBe(pages);
    expect(canvas.count('file')).toBe(files);
    expect((await get(`/items/${ITEM.panopto}`)).status).toBe('TRANSCRIPT_READY');

    // The teacher swaps the YouTube video on one page: only that page is read, and its item
    // needs fetching again, while the others keep their transcripts.
    canvas.content.editPage(COURSE, 'guest-talk', {
      body: `<iframe src="https://www.youtube.com/embed/${VIDEO.silent}"></iframe>`,
    });
    await sync();
    expect(canvas.count('page')).toBe(pages + 1);
    expect(await get(`/items/${ITEM.youtube}`)).toMatchObject({
      status: 'DISCOVERED',
      media_url: expect.stringContaining(VIDEO.silent),
    });
    expect((await get(`/items/${ITEM.panopto}`)).status).toBe('TRANSCRIPT_READY');
  });

  it('fetches an item again when a later bulk action runs, if one of its recordings had failed', async () => {
    youtube.videos.set(VIDEO.silent, {
      tracks: [{ languageCode: 'en', name: 'English', cues: [[1, 3, 'Lecture three starts now.']] }],
    });
    const bulk = (await post(`/modules/7001/fetch-transcript`)).json();
    expect(bulk.jobs.map((job: { item_id: number }) => job.item_id)).toContain(ITEM.twoVideos);
    expect(bulk.skipped).toContainEqual({ item_id: ITEM.panopto, reason: 'already_done' });
    await t.deps.runner.runUntilEmpty();
    const text = (await t.app.inject({ method: 'GET', url: `/items/${ITEM.twoVideos}/transcript` })).body;
    expect(text).toBe(
      '## Lecture 2\n\n[00:00:00] Lecture two is about enzymes.\n\n## Lecture 3\n\n[00:00:01] Lecture three starts now.',
    );
  });

  it('keeps an uploaded transcript usable when a sync later finds more on the page', async () => {
    const cue = (i: number) =>
      `00:00:${String(i * 2).padStart(2, '0')}.000 --> 00:00:${String(i * 2 + 1).padStart(2, '0')}.000\n` +
      `Osmosis moves water toward more dissolved particles, point ${i + 1} of the review.`;
    const vtt = `WEBVTT\n\n${Array.from({ length: 25 }, (_, i) => cue(i)).join('\n\n')}\n`;
    const upload = await t.app.inject({
      method: 'PUT',
      url: `/items/${ITEM.zoomElsewhere}/transcript`,
      payload: vtt,
      headers: { 'content-type': 'text/vtt' },
    });
    expect(upload.statusCode).toBe(200);
    canvas.content.editPage(COURSE, 'other-zoom', {
      body: `<a href="https://other-school.zoom.us/rec/share/not-in-this-account">Watch</a><iframe src="https://youtu.be/${VIDEO.captioned}"></iframe>`,
    });
    await sync();
    expect(await sourcesOf(ITEM.zoomElsewhere)).toEqual([
      ['upload', 'upload', 'upload'],
      ['zoom', 'https://other-school.zoom.us/rec/share/not-in-this-account', 'page_body'],
      ['youtube', VIDEO.captioned, 'page_body'],
    ]);
    expect((await post(`/items/${ITEM.zoomElsewhere}/summarize`)).statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
    expect(await get(`/items/${ITEM.zoomElsewhere}`)).toMatchObject({
      status: 'SUMMARY_READY',
      error_code: null,
    });
  });

  it('keeps what a page held when it can no longer be read', async () => {
    canvas.failAlways(/\/pages\/lecture-1$/, { kind: 'forbidden' });
    canvas.content.editPage(COURSE, 'lecture-1', { title: 'Lecture 1 (edited)' });
    await sync();
    canvas.clearFaults();
    expect(await sourcesOf(ITEM.panopto)).toEqual([['panopto', SESSION.public, 'page_body']]);
    expect((await get(`/items/${ITEM.panopto}`)).status).toBe('TRANSCRIPT_READY');
  });
});
