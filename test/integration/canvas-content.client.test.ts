import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type CanvasClient, createCanvasClient } from '../../src/canvas/canvas.client.ts';
import {
  FAKE_STUDENT_ID,
  FAKE_TEACHER_ID,
  type FakeCanvasOptions,
  findCourse,
} from '../fakes/fake-canvas-server.ts';
import { listenOnLoopback } from '../fakes/listen.ts';
import {
  type CanvasTestContext,
  rejectionOf,
  SECRET_TOKEN,
  startCanvasTest,
} from '../helpers/canvas-client.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';

/** The real Canvas client's content methods (Pages, Files, downloads, media tracks) against the fake. */

const BIO = 48213;
/** An https name for the storage fake: the client follows https redirects only, off Canvas. */
const STORAGE = 'https://inst-fs-iad-prod.inscloudgate.net';

let ctx: CanvasTestContext | undefined;
afterEach(async () => {
  await ctx?.canvas.close();
  ctx = undefined;
});

async function start(options: FakeCanvasOptions = {}): Promise<CanvasTestContext> {
  ctx = await startCanvasTest(options);
  return ctx;
}

describe('canvas client: Pages', () => {
  it('lists every page with updated_at in 100-page requests and reads no body', async () => {
    const { canvas, client } = await start();
    const course = findCourse(canvas.state, BIO);
    for (let i = 0; i < 230; i += 1) {
      course.pages.push({
        url: `page-${i}`,
        title: `Page ${String(i).padStart(3, '0')}`,
        body: '<p>x</p>',
        updated_at: '2025-10-01T10:00:00Z',
      });
    }

    const pages = await client.listPages(BIO);

    expect(pages).toHaveLength(232);
    expect(pages).toContainEqual({ url: 'page-7', updated_at: '2025-10-01T10:00:00Z' });
    expect(pages).toContainEqual({ url: 'course-overview', updated_at: '2025-09-01T14:02:55Z' });
    expect(canvas.requests.map((r) => [r.kind, r.query.get('per_page')])).toEqual([
      ['pages_index', '100'],
      ['pages_index', '100'],
      ['pages_index', '100'],
    ]);
    expect(canvas.count('page')).toBe(0);
  });

  it('answers null when the Pages tab is hidden, while each page still loads with its updated_at', async () => {
    const { canvas, client } = await start();
    canvas.content.hidePagesTab(BIO);

    expect(await client.listPages(BIO)).toBeNull();
    const page = await client.getPage(BIO, 'week-3-lecture-notes');

    expect(page).toMatchObject({ url: 'week-3-lecture-notes', updated_at: '2025-09-01T14:02:55Z' });
    expect(page.body).toContain('Embed.aspx');
  });

  it('answers null when Canvas refuses the index to this user', async () => {
    const { canvas, client } = await start();
    canvas.failNext(`/api/v1/courses/${BIO}/pages`, { kind: 'forbidden' });
    expect(await client.listPages(BIO)).toBeNull();
  });

  it('sees an edit as a newer updated_at in the index and on the page', async () => {
    const { canvas, client } = await start();
    const before = (await client.listPages(BIO))?.find((p) => p.url === 'course-overview')?.updated_at;
    canvas.content.editPage(BIO, 'course-overview', { body: '<p>Updated.</p>' });

    const after = (await client.listPages(BIO))?.find((p) => p.url === 'course-overview')?.updated_at;
    const page = await client.getPage(BIO, 'course-overview');

    expect(after).not.toBe(before);
    expect(Date.parse(after ?? '')).toBeGreaterThan(Date.parse(before ?? ''));
    expect(page).toMatchObject({ updated_at: after, body: '<p>Updated.</p>' });
  });

  it('leaves an unpublished page out of the index and refuses it, and reads a locked page without body', async () => {
    const { canvas, client } = await start();
    canvas.content.addPage(BIO, {
      url: 'draft',
      title: 'Draft',
      body: '<p>soon</p>',
      access: 'unauthorized',
    });
    canvas.content.addPage(BIO, { url: 'week-5', title: 'Week 5', body: '<p>later</p>', access: 'locked' });

    expect((await client.listPages(BIO))?.map((p) => p.url)).toEqual([
      'course-overview',
      'week-3-lecture-notes',
      'week-5',
    ]);
    expect(await rejectionOf(client.getPage(BIO, 'draft'))).toMatchObject({ code: 'canvas.forbidden' });
    expect((await client.getPage(BIO, 'week-5')).body ?? null).toBeNull();
  });
});

describe('canvas client: Files and downloads', () => {
  const addSlides = (canvas: CanvasTestContext['canvas'], bytes = 'slide text') =>
    canvas.content.addFile(BIO, {
      id: 771201,
      display_name: 'Slides Week1.pdf',
      content_type: 'application/pdf',
      content: bytes,
      updated_at: '2025-09-03T08:00:00Z',
    });
  const storageClient = (canvas: CanvasTestContext['canvas']): CanvasClient =>
    createCanvasClient({
      baseUrl: canvas.baseUrl,
      token: SECRET_TOKEN,
      retryBaseDelayMs: 2,
      fetch: rewriteFetch({ [canvas.baseUrl]: canvas.baseUrl, [STORAGE]: canvas.storage.origin }),
    });

  it('reads File metadata, with the media entry of a video', async () => {
    const { canvas, client } = await start();
    addSlides(canvas);
    canvas.content.addVideoFile(BIO, { id: 771300, mediaId: 'm-4JqW', displayName: 'Lab demo.mp4' });

    expect(await client.getFile(BIO, 771201)).toEqual({
      id: 771201,
      display_name: 'Slides Week1.pdf',
      filename: 'Slides_Week1.pdf',
      'content-type': 'application/pdf',
      size: 10,
      url: expect.stringMatching(
        new RegExp(`^${canvas.baseUrl}/files/771201/download\\?download_frd=1&verifier=`),
      ),
      updated_at: '2025-09-03T08:00:00Z',
      media_entry_id: null,
    });
    expect(await client.getFile(BIO, 771300)).toMatchObject({
      'content-type': 'video/mp4',
      media_entry_id: 'm-4JqW',
    });
    expect(await rejectionOf(client.getFile(BIO, 999))).toMatchObject({ code: 'canvas.not_found' });
  });

  it('downloads through the storage redirect, sending the token to Canvas and never to storage', async () => {
    const { canvas } = await start({ storageOrigin: STORAGE });
    addSlides(canvas);

    const download = await storageClient(canvas).downloadFile(BIO, 771201);

    expect(Buffer.from(download.bytes).toString()).toBe('slide text');
    expect(download.contentType).toBe('application/pdf');
    const canvasHop = canvas.requests.find((r) => r.kind === 'file_download');
    expect(canvasHop?.authorization).toBe(`Bearer ${SECRET_TOKEN}`);
    expect(canvas.storage.requests).toHaveLength(1);
    expect(canvas.storage.requests[0]?.authorization).toBeUndefined();
  });

  it('refuses a body over the size limit', async () => {
    const { canvas } = await start({ storageOrigin: STORAGE });
    addSlides(canvas, 'x'.repeat(5000));

    const error = await rejectionOf(storageClient(canvas).downloadFile(BIO, 771201, { maxBytes: 1000 }));

    expect(error).toMatchObject({ code: 'transcript.too_large', transient: false });
  });

  it('stays on the storage host Canvas chose: a further redirect elsewhere is refused', async () => {
    const { canvas } = await start({ storageOrigin: STORAGE });
    addSlides(canvas);
    const elsewhere: string[] = [];
    const bouncer = createServer((req, res) => {
      if (req.headers['x-forwarded-host'] === new URL(STORAGE).host) {
        res.writeHead(302, { location: 'https://collector.example.net/grab' }).end();
      } else {
        elsewhere.push(req.url ?? '');
        res.writeHead(200).end('stolen');
      }
    });
    const listening = await listenOnLoopback(bouncer);
    try {
      const client = createCanvasClient({
        baseUrl: canvas.baseUrl,
        token: SECRET_TOKEN,
        fetch: rewriteFetch({
          [canvas.baseUrl]: canvas.baseUrl,
          [STORAGE]: listening.origin,
          'https://collector.example.net': listening.origin,
        }),
      });
      const error = await rejectionOf(client.downloadFile(BIO, 771201));
      expect(error).toMatchObject({ code: 'transcript.host_refused' });
      expect(elsewhere).toEqual([]);
    } finally {
      await listening.close();
    }
  });

  it('refuses a redirect to storage over plain http', async () => {
    const { canvas, client } = await start();
    addSlides(canvas);

    const error = await rejectionOf(client.downloadFile(BIO, 771201));

    expect(error).toMatchObject({ code: 'transcript.host_refused' });
    expect(canvas.storage.requests).toHaveLength(0);
  });

  it('fails, rather than keeping the login page, when Canvas sends the download to its login', async () => {
    // Newer Canvas may leave the verifier out of File URLs; the token alone may not open a web route.
    const { canvas } = await start({
      storageOrigin: STORAGE,
      fileVerifiers: false,
      tokenOnFileDownloads: false,
    });
    addSlides(canvas);

    const error = await rejectionOf(storageClient(canvas).downloadFile(BIO, 771201));

    expect(error).toMatchObject({ code: 'canvas.forbidden', transient: false });
    expect(canvas.requests.some((r) => r.path === '/login/canvas')).toBe(false);
  });
});

describe('canvas client: answer size', () => {
  it('refuses a JSON answer larger than maxBodyBytes as canvas.bad_response, without retrying', async () => {
    ctx = await startCanvasTest({}, { maxBodyBytes: 2_000 });
    const path = `/api/v1/courses/${BIO}/pages/huge`;
    ctx.canvas.failAlways(path, {
      kind: 'respond',
      status: 200,
      body: { url: 'huge', title: 'x'.repeat(5_000) },
    });
    const error = await rejectionOf(ctx.client.getPage(BIO, 'huge'));
    expect(error).toMatchObject({ code: 'canvas.bad_response', transient: false });
    expect(error.message).toContain('2000 bytes');
    expect(ctx.canvas.requests.filter((request) => request.path === path)).toHaveLength(1);
  });
});

describe('canvas client: media tracks', () => {
  const tracks = [
    { locale: 'en', content: 'WEBVTT\n\n00:00:00.000 --> 00:00:04.200\nGood morning.\n' },
    { locale: 'es', kind: 'captions' as const, content: '1\n00:00:00,000 --> 00:00:04,200\nBuenos días.\n' },
  ];

  it('lists an attachment’s tracks with their WebVTT, converted from SRT where needed', async () => {
    const { canvas, client } = await start();
    canvas.content.addVideoFile(BIO, { id: 771300, mediaId: 'm-4JqW', tracks });

    const listed = await client.listMediaTracks({ attachmentId: '771300' });

    expect(listed).toEqual([
      { id: 4410, locale: 'en', kind: 'subtitles', webvtt_content: tracks[0]?.content },
      {
        id: 4411,
        locale: 'es',
        kind: 'captions',
        webvtt_content: 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.200\nBuenos días.\n',
      },
    ]);
    expect(canvas.requests[0]?.url).toBe(
      '/api/v1/media_attachments/771300/media_tracks?include[]=webvtt_content&per_page=100',
    );
  });

  it('lists on the media_objects route only the caller’s own tracks', async () => {
    const { canvas, client } = await start();
    canvas.content.addMediaObject('m-4JqW', [
      { ...tracks[0], content: tracks[0]?.content ?? '', user_id: FAKE_TEACHER_ID },
      { ...tracks[1], content: tracks[1]?.content ?? '', user_id: FAKE_STUDENT_ID },
    ]);

    const listed = await client.listMediaTracks({ mediaId: 'm-4JqW' });

    expect(listed.map((track) => track.locale)).toEqual(['es']);
  });

  it('sends only five fields per track unless include[] asks for more (the fake, as Canvas)', async () => {
    const { canvas } = await start();
    canvas.content.addVideoFile(BIO, { id: 771300, mediaId: 'm-4JqW', tracks });
    const raw = async (query: string) => {
      const response = await fetch(`${canvas.baseUrl}/api/v1/media_attachments/771300/media_tracks${query}`, {
        headers: { Authorization: `Bearer ${SECRET_TOKEN}` },
      });
      return (await response.json()) as Record<string, unknown>[];
    };

    expect((await raw(''))[0]).toEqual({
      id: 4410,
      locale: 'en',
      kind: 'subtitles',
      media_object_id: 8812,
      user_id: FAKE_TEACHER_ID,
    });
    expect(Object.keys((await raw('?include[]=webvtt_content&include[]=updated_at'))[0] ?? {})).toEqual([
      'id',
      'locale',
      'kind',
      'media_object_id',
      'user_id',
      'webvtt_content',
      'updated_at',
    ]);
  });

  it('maps Canvas’s "unauthorized" for an unknown attachment to canvas.forbidden', async () => {
    const { client } = await start();
    expect(await rejectionOf(client.listMediaTracks({ attachmentId: '404404' }))).toMatchObject({
      code: 'canvas.forbidden',
    });
  });
});
