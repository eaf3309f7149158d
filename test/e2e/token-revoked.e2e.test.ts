import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildTestPdf } from '../../src/transcripts/reading.test-utils.ts';
import {
  buildFixture,
  FAKE_TEACHER_ID,
  type FakeCanvas,
  type FakeCanvasFault,
  type FakeCanvasRequest,
  findModule,
  startFakeCanvas,
} from '../fakes/fake-canvas-server.ts';
import { snapshotCache } from '../helpers/cache-snapshot.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The token revoked while canvas-notes is using it: Canvas answers every request from then on
 * with 401 and `WWW-Authenticate`, as it does for a deleted or expired token (reference §A2).
 * A refresh fetches everything before it writes, in one transaction, so it fails whole; a job
 * fails for good (retrying cannot help) and records nothing.
 */

const TOKEN = 'revoked-midway-token';
const REVOKED: FakeCanvasFault = {
  kind: 'respond',
  status: 401,
  body: { errors: [{ message: 'Invalid access token.' }] },
  headers: { 'WWW-Authenticate': 'Bearer realm="canvas-lms"' },
};

/** From the `after`-th request on (0: the very next one), Canvas refuses the token. */
function revokeAfter(canvas: FakeCanvas, after: number): { refused: FakeCanvasRequest[] } {
  const refused: FakeCanvasRequest[] = [];
  let seen = 0;
  canvas.failAlways((request) => {
    seen += 1;
    if (seen <= after) return false;
    refused.push(request);
    return true;
  }, REVOKED);
  return { refused };
}

describe('the token revoked in the middle of a refresh', () => {
  const BIO = 48213;
  let canvas: FakeCanvas;
  let t: TestApp;
  const post = (url: string) => t.app.inject({ method: 'POST', url });

  beforeEach(async () => {
    canvas = await startFakeCanvas({ token: TOKEN, inlineItemsThreshold: 3, state: buildFixture() });
    t = await createTestApp({
      config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: TOKEN, timeoutMs: 2_000 } },
    });
    expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    expect((await post(`/courses/${BIO}/modules/refresh`)).statusCode).toBe(200);
  });
  afterEach(async () => {
    await t.close();
    await canvas.close();
  });

  // The re-sync reads the modules, the items of weeks 1, 3 and 4 (left out of the listing), the
  // Pages index, then the one page that changed: the token goes at each step in turn.
  it.each([
    { after: 0, first: 'modules' },
    { after: 1, first: 'module_items' },
    { after: 4, first: 'pages_index' },
    { after: 5, first: 'page' },
  ])(
    'answers 502 canvas.unauthorized and writes nothing when it goes before the $first read',
    async ({ after, first }) => {
      const before = await snapshotCache(t.app, [BIO]);
      // Changes the refresh would write if it wrote anything: a rename, a removal, an added item,
      // and a page whose new body names a recording.
      const week1 = findModule(canvas.state, BIO, 902113);
      const renamed = week1.items[1];
      if (renamed) renamed.title = 'Renamed while revoked';
      const week3 = findModule(canvas.state, BIO, 902114);
      week3.items = week3.items.filter((item) => item.id !== 5512006);
      findModule(canvas.state, BIO, 902115).items.push({ id: 5513099, title: 'New quiz', type: 'Quiz' });
      canvas.content.editPage(BIO, 'course-overview', {
        body: '<iframe src="https://school.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=11111111-1111-4111-8111-aaaaaaaaaaaa"></iframe>',
      });
      canvas.requests.length = 0;
      const { refused } = revokeAfter(canvas, after);

      const response = await post(`/courses/${BIO}/modules/refresh`);
      expect(response.statusCode).toBe(502);
      expect(response.json().error).toEqual({
        code: 'canvas.unauthorized',
        message: 'Canvas rejected the access token (Invalid access token.). Check CANVAS_TOKEN.',
      });
      expect(refused[0]?.kind).toBe(first);
      expect(canvas.requests).toHaveLength(after + refused.length);
      expect(await snapshotCache(t.app, [BIO])).toEqual(before);
    },
  );
});

describe('the token revoked while a job reads from Canvas', () => {
  const COURSE = 777;
  const MEDIA = 1;
  const PDF = 2;
  const STORAGE = 'https://storage.canvas-notes.test';
  let canvas: FakeCanvas;
  let t: TestApp;
  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const get = async (url: string) => (await t.app.inject({ method: 'GET', url })).json();
  const transcripts = () => {
    const dir = join(t.dataDir, 'transcripts');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };

  beforeEach(async () => {
    canvas = await startFakeCanvas({
      token: TOKEN,
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
                  { id: MEDIA, title: 'Lab demo', type: 'Page', page_url: 'lab-demo' },
                  { id: PDF, title: 'Week 1 notes.pdf', type: 'File', content_id: 9001 },
                ],
              },
            ],
          },
        ],
      },
    });
    canvas.content.addPage(COURSE, {
      url: 'lab-demo',
      title: 'Lab demo',
      body: `<p><iframe class="instructure_inline_media_comment video_comment" title="Lab demo" data-media-type="video" data-media-id="m-lab" src="${canvas.baseUrl}/media_attachments_iframe/5001?embedded=true&amp;type=video"></iframe></p>`,
    });
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
      content: buildTestPdf({ pages: [['Osmosis', 'Water moves toward more dissolved particles.']] }),
    });
    t = await createTestApp({
      config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: TOKEN, timeoutMs: 2_000 } },
      overrides: {
        fetch: rewriteFetch({ [canvas.baseUrl]: canvas.baseUrl, [STORAGE]: canvas.storage.origin }),
      },
    });
    expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    expect((await post(`/courses/${COURSE}/modules/refresh`)).statusCode).toBe(200);
  });
  afterEach(async () => {
    await t.close();
    await canvas.close();
  });

  it.each([
    { name: 'caption tracks of Canvas media', id: MEDIA },
    { name: 'a PDF file', id: PDF },
  ])('fails the fetch of $name with canvas.unauthorized, once, storing nothing', async ({ id }) => {
    const { refused } = revokeAfter(canvas, 0);
    const job = (await post(`/items/${id}/fetch-transcript`)).json().job;
    await t.deps.runner.runUntilEmpty();

    expect(refused.length).toBeGreaterThan(0);
    expect(await get(`/jobs/${job.id}`)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'canvas.unauthorized' },
    });
    expect(await get(`/items/${id}`)).toMatchObject({
      status: 'FAILED',
      error_code: 'canvas.unauthorized',
      transcript_path: null,
    });
    expect(transcripts().filter((name) => name.startsWith(`${id}.`))).toEqual([]);
  });

  it('keeps the transcript a forced refetch could not replace, byte for byte', async () => {
    await post(`/items/${PDF}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();
    const item = await get(`/items/${PDF}`);
    expect(item.status).toBe('TRANSCRIPT_READY');
    const files = transcripts();
    const read = (name: string) => readFileSync(join(t.dataDir, 'transcripts', name), 'utf8');
    const text = read(`${PDF}.txt`);
    const cues = read(`${PDF}.json`);
    // A new version the refetch would store, had it been allowed to download it.
    canvas.content.addFile(COURSE, {
      id: 9001,
      display_name: 'Week 1 notes.pdf',
      content_type: 'application/pdf',
      content: buildTestPdf({ pages: [['Diffusion', 'A different reading altogether.']] }),
    });

    // The file's record is read, then the token goes before its download.
    canvas.requests.length = 0;
    const { refused } = revokeAfter(canvas, 1);
    const job = (await post(`/items/${PDF}/fetch-transcript?force=true`)).json().job;
    await t.deps.runner.runUntilEmpty();

    expect(canvas.requests.map((request) => request.kind)).toEqual(['file', 'file_download']);
    expect(refused.map((request) => request.kind)).toEqual(['file_download']);
    expect(await get(`/jobs/${job.id}`)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'canvas.unauthorized' },
    });
    expect(await get(`/items/${PDF}`)).toMatchObject({
      status: 'TRANSCRIPT_READY',
      error_code: 'canvas.unauthorized',
      artifacts: item.artifacts,
    });
    expect(transcripts()).toEqual(files);
    expect(read(`${PDF}.txt`)).toBe(text);
    expect(read(`${PDF}.json`)).toBe(cues);
  });
});
