import { describe, expect, it } from 'vitest';
import { createCanvasForbiddenError } from '../../canvas/canvas.errors.ts';
import type { CanvasMediaTarget, CanvasMediaTrack } from '../../canvas/canvas.schemas.ts';
import { parsePageDocument } from '../page-html.ts';
import type { DetectInput, MediaRef } from '../transcript-provider.ts';
import { chooseTrack, createCanvasMediaProvider, detectCanvasMedia } from './canvas-media.provider.ts';

/** The body of reference §F3 as Canvas sends it: attribute values HTML-escaped. */
const F3_BODY =
  '<h2>Lecture 3.1</h2>\n<p><iframe title="Lecture 3.1" src="https://example.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=3f2c9a7e-5b1d-4e08-9c6a-b2e100f4d7a1&amp;autoplay=false&amp;offerviewer=true&amp;showtitle=true&amp;showbrand=false&amp;captions=true&amp;interactivity=all" width="720" height="405" allowfullscreen="allowfullscreen" allow="autoplay"></iframe></p>\n<p>Lecture 3.2 (inserted with the Panopto button):</p>\n<p><iframe title="Panopto" src="https://canvas.example.edu/courses/48213/external_tools/retrieve?display=borderless&amp;url=https%3A%2F%2Fexample.hosted.panopto.com%2FPanopto%2FLTI%2FLTI.aspx%3Fcustom_context_delivery%3D8a61d0c4-2e7f-4b39-a1d5-b2e2011c93f0" width="720" height="405" allowfullscreen="allowfullscreen"></iframe></p>\n<p><a href="https://example.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=3f2c9a7e-5b1d-4e08-9c6a-b2e100f4d7a1">Open in Panopto</a></p>\n<p><iframe class="instructure_inline_media_comment video_comment" title="Lab demo" data-media-type="video" data-media-id="m-4JqW8tZ2bXcVn7Rs1PdKe9LfYh3GuM5a" src="https://canvas.example.edu/media_attachments_iframe/771300?embedded=true&amp;type=video" allowfullscreen="allowfullscreen" allow="fullscreen"></iframe></p>';

const page = (html: string): DetectInput => ({ kind: 'page', page: parsePageDocument(html) });
const refsOf = (input: DetectInput) => detectCanvasMedia(input).map((ref) => ref.ref);

describe('canvas media detection in pages', () => {
  it('finds the one Canvas video of reference F3 by its attachment, with its media id and title', () => {
    expect(detectCanvasMedia(page(F3_BODY))).toEqual([
      {
        provider: 'canvas_media',
        ref: 'attachment:771300',
        url: 'https://canvas.example.edu/media_attachments_iframe/771300',
        foundIn: 'page_body',
        details: { attachment_id: '771300', media_id: 'm-4JqW8tZ2bXcVn7Rs1PdKe9LfYh3GuM5a' },
        title: 'Lab demo',
      } satisfies MediaRef,
    ]);
  });

  it('reads a relative media_attachments_iframe with a verifier, naming no page to open', () => {
    const [ref] = detectCanvasMedia(
      page(
        '<iframe src="/media_attachments_iframe/5521?embedded=true&amp;type=video&amp;verifier=abc"></iframe>',
      ),
    );
    expect(ref).toMatchObject({ ref: 'attachment:5521', url: null, details: { attachment_id: '5521' } });
  });

  it('reads the older media_objects_iframe embed as a media ref', () => {
    const [ref] = detectCanvasMedia(
      page(
        '<iframe title="Week 2" src="https://canvas.example.edu/media_objects_iframe/m-2bXcVn7R?type=video"></iframe>',
      ),
    );
    expect(ref).toMatchObject({
      ref: 'media:m-2bXcVn7R',
      url: 'https://canvas.example.edu/media_objects_iframe/m-2bXcVn7R',
      details: { media_id: 'm-2bXcVn7R' },
      title: 'Week 2',
    });
  });

  it('reads legacy inline media comments, their API rewrite to <video>, and bare data-media-id elements', () => {
    const html = [
      '<a class="instructure_inline_media_comment video_comment" id="media_comment_0_abc12345" href="/media_objects/0_abc12345">this is a media comment</a>',
      '<video data-media_comment_id="m-video1" src="https://canvas.example.edu/courses/1/media_download?entryId=m-video1&amp;redirect=1"></video>',
      '<div data-media-id="m-div1" data-media-type="audio"></div>',
      '<audio><source src="/courses/1/media_download?entryId=m-audio1&amp;redirect=1"></audio>',
    ].join('\n');
    expect(refsOf(page(html))).toEqual([
      'media:0_abc12345',
      'media:m-video1',
      'media:m-div1',
      'media:m-audio1',
    ]);
  });

  it('makes one ref per media when the same video is embedded and linked again by media id', () => {
    const html = [
      '<p><a class="instructure_inline_media_comment" id="media_comment_m-same">old link</a></p>',
      '<iframe data-media-id="m-same" src="/media_attachments_iframe/42?type=video"></iframe>',
      '<iframe data-media-id="m-same" src="/media_attachments_iframe/42?type=video"></iframe>',
    ].join('');
    expect(detectCanvasMedia(page(html))).toEqual([
      expect.objectContaining({ ref: 'attachment:42', details: { attachment_id: '42', media_id: 'm-same' } }),
    ]);
  });

  it('leaves Canvas Studio embeds alone: their captions are not reachable with the Canvas token', () => {
    const html =
      '<iframe class="lti-embed" src="https://canvas.example.edu/courses/1/external_tools/retrieve?display=borderless&amp;url=https%3A%2F%2Fschool.instructuremedia.com%2Flti%2Flaunch%3Fcustom_arc_media_id%3Dabc-123" data-media-id="abc-123"></iframe>';
    expect(detectCanvasMedia(page(html))).toEqual([]);
  });

  it('ignores other hosts, Panopto and YouTube embeds, and ids that are not media ids', () => {
    const html = [
      '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
      '<a href="https://canvas.example.edu/courses/1/files/9/download">Slides</a>',
      '<div data-media-id="not an id"></div>',
    ].join('');
    expect(detectCanvasMedia(page(html))).toEqual([]);
  });
});

describe('canvas media detection in files and item URLs', () => {
  const file = (contentType: string | null, mediaEntryId: string | null = null): DetectInput => ({
    kind: 'file',
    file: { id: 771300, displayName: 'Lab demo.mp4', contentType, size: 1000, mediaEntryId },
  });

  it('takes video and audio files, and any file Canvas gave a media entry', () => {
    expect(detectCanvasMedia(file('video/mp4', 'm-4JqW'))).toEqual([
      {
        provider: 'canvas_media',
        ref: 'attachment:771300',
        url: null,
        foundIn: 'file',
        details: { attachment_id: '771300', media_id: 'm-4JqW' },
        title: 'Lab demo.mp4',
      },
    ]);
    expect(refsOf(file('audio/mpeg'))).toEqual(['attachment:771300']);
    expect(refsOf(file('application/octet-stream', 'm-x'))).toEqual(['attachment:771300']);
  });

  it('leaves documents to readings', () => {
    expect(detectCanvasMedia(file('application/pdf'))).toEqual([]);
    expect(detectCanvasMedia(file(null))).toEqual([]);
  });

  it('reads an ExternalUrl item pointing at a Canvas media player', () => {
    expect(
      detectCanvasMedia({
        kind: 'url',
        url: 'https://canvas.example.edu/media_attachments_iframe/77?type=video',
        title: 'Demo',
      }),
    ).toEqual([
      {
        provider: 'canvas_media',
        ref: 'attachment:77',
        url: 'https://canvas.example.edu/media_attachments_iframe/77',
        foundIn: 'item_url',
        details: { attachment_id: '77' },
        title: 'Demo',
      },
    ]);
  });
});

const track = (overrides: Partial<CanvasMediaTrack>): CanvasMediaTrack => ({
  id: 1,
  locale: 'en',
  kind: 'subtitles',
  webvtt_content: 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello.\n',
  ...overrides,
});

describe('canvas media track choice', () => {
  it('takes the preferred language, matching a base language to a regional track', () => {
    const tracks = [
      track({ id: 1, locale: 'en' }),
      track({ id: 2, locale: 'es-MX' }),
      track({ id: 3, locale: 'de' }),
    ];
    expect(chooseTrack(tracks, ['es'])?.track.id).toBe(2);
    expect(chooseTrack(tracks, ['fr', 'de'])?.track.id).toBe(3);
    expect(chooseTrack(tracks, ['fr'])?.track.id).toBe(1);
    expect(chooseTrack(tracks, [])?.track.id).toBe(1);
  });

  it('skips descriptions, chapters and metadata, and tracks whose text holds no cues', () => {
    const tracks = [
      track({ id: 1, kind: 'descriptions' }),
      track({ id: 2, kind: 'chapters' }),
      track({ id: 3, kind: 'captions', webvtt_content: 'WEBVTT\n\n' }),
      track({ id: 4, kind: 'captions', locale: 'fr' }),
    ];
    expect(chooseTrack(tracks, ['en'])?.track.id).toBe(4);
    expect(chooseTrack(tracks.slice(0, 3), ['en'])).toBeNull();
  });

  it('falls back to the uploaded content when Canvas sent no WebVTT', () => {
    const srt = track({ webvtt_content: null, content: '1\n00:00:01,000 --> 00:00:02,500\nFrom SRT.\n' });
    expect(chooseTrack([srt], [])?.cues).toEqual([{ startMs: 1000, endMs: 2500, text: 'From SRT.' }]);
  });
});

describe('canvas media fetch', () => {
  const ref = (details: Record<string, string>, value = 'attachment:1'): MediaRef => ({
    provider: 'canvas_media',
    ref: value,
    url: null,
    foundIn: 'page_body',
    details,
  });
  const recording = (answers: Record<string, CanvasMediaTrack[]>) => {
    const asked: string[] = [];
    const canvas = {
      listMediaTracks: async (target: CanvasMediaTarget) => {
        const key =
          'attachmentId' in target ? `attachment:${target.attachmentId}` : `media:${target.mediaId}`;
        asked.push(key);
        return answers[key] ?? [];
      },
    };
    return { asked, provider: createCanvasMediaProvider({ canvas, languages: ['en'] }) };
  };

  it('asks the attachments route first and stops there when it has captions', async () => {
    const { asked, provider } = recording({ 'attachment:1': [track({ locale: 'en-US' })] });
    const transcript = await provider.fetch(ref({ attachment_id: '1', media_id: 'm-1' }), { courseId: 1 });
    expect(transcript).toEqual({
      cues: [{ startMs: 0, endMs: 2000, text: 'Hello.' }],
      timed: true,
      language: 'en-US',
    });
    expect(asked).toEqual(['attachment:1']);
  });

  it('falls back to the media_objects route when the attachment has no usable track', async () => {
    const { asked, provider } = recording({
      'attachment:1': [track({ kind: 'chapters' })],
      'media:m-1': [track({ locale: 'de' })],
    });
    const transcript = await provider.fetch(ref({ attachment_id: '1', media_id: 'm-1' }), { courseId: 1 });
    expect(transcript.language).toBe('de');
    expect(asked).toEqual(['attachment:1', 'media:m-1']);
  });

  it('fails for good with canvas_media.no_captions, pointing at the upload route', async () => {
    const { provider } = recording({});
    const error = await provider.fetch(ref({}, 'media:m-9'), { courseId: 1 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'canvas_media.no_captions', transient: false });
    expect((error as Error).message).toContain('PUT /items/{id}/transcript');
  });

  it('passes Canvas errors through as they are', async () => {
    const forbidden = createCanvasForbiddenError();
    const provider = createCanvasMediaProvider({
      canvas: {
        listMediaTracks: async () => {
          throw forbidden;
        },
      },
    });
    await expect(provider.fetch(ref({ attachment_id: '1' }), { courseId: 1 })).rejects.toBe(forbidden);
  });

  it('refuses a ref that names no media', async () => {
    const { provider } = recording({});
    await expect(provider.fetch(ref({}, 'file:1'), { courseId: 1 })).rejects.toMatchObject({
      code: 'canvas_media.invalid_ref',
    });
  });
});
