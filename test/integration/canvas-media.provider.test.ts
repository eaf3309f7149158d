import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanvasClient } from '../../src/canvas/canvas.client.ts';
import { parsePageDocument } from '../../src/transcripts/page-html.ts';
import { createCanvasMediaProvider } from '../../src/transcripts/providers/canvas-media.provider.ts';
import { runProviderContract } from '../../src/transcripts/providers.contract.ts';
import type { MediaRef } from '../../src/transcripts/transcript-provider.ts';
import { FAKE_STUDENT_ID, type FakeCanvas } from '../fakes/fake-canvas-server.ts';
import { SECRET_TOKEN, startCanvasTest } from '../helpers/canvas-client.ts';

const COURSE = 48213;
const MEDIA_ID = 'm-4JqW8tZ2bXcVn7Rs1PdKe9LfYh3GuM5a';

/** Reference §F4's two tracks, as a teacher uploaded them to the media object. */
const F4_TRACKS = [
  {
    locale: 'en',
    kind: 'subtitles' as const,
    content:
      "WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.200\nGood morning, everyone.\n\n2\n00:00:04.200 --> 00:00:09.850\nToday we're looking at how lipids arrange themselves in water.\n",
  },
  {
    locale: 'es',
    kind: 'subtitles' as const,
    content: 'WEBVTT\n\n1\n00:00:00.000 --> 00:00:04.200\nBuenos días a todos.\n',
  },
];

/** The media embed of reference §F3 (HTML-escaped attributes), beside a Panopto one. */
const F3_MEDIA_EMBED =
  '<p><iframe title="Lecture 3.1" src="https://example.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=3f2c9a7e-5b1d-4e08-9c6a-b2e100f4d7a1&amp;autoplay=false"></iframe></p>\n<p><iframe class="instructure_inline_media_comment video_comment" title="Lab demo" data-media-type="video" data-media-id="m-4JqW8tZ2bXcVn7Rs1PdKe9LfYh3GuM5a" src="https://canvas.example.edu/media_attachments_iframe/771300?embedded=true&amp;type=video" allowfullscreen="allowfullscreen" allow="fullscreen"></iframe></p>';

const attachmentRef = (attachmentId: number, mediaId?: string): MediaRef => ({
  provider: 'canvas_media',
  ref: `attachment:${attachmentId}`,
  url: null,
  foundIn: 'page_body',
  details: { attachment_id: String(attachmentId), ...(mediaId ? { media_id: mediaId } : {}) },
});
const mediaRef = (mediaId: string): MediaRef => ({
  provider: 'canvas_media',
  ref: `media:${mediaId}`,
  url: null,
  foundIn: 'page_body',
  details: { media_id: mediaId },
});

/** A fake Canvas holding the F3/F4 lab video, a video without captions and a slow one. */
async function startMediaCanvas(): Promise<{ canvas: FakeCanvas; client: CanvasClient }> {
  const { canvas, client } = await startCanvasTest({}, { timeoutMs: 5000 });
  canvas.content.addVideoFile(COURSE, { id: 771300, mediaId: MEDIA_ID, tracks: F4_TRACKS });
  canvas.content.addVideoFile(COURSE, { id: 771301, mediaId: 'm-uncaptioned' });
  canvas.content.addVideoFile(COURSE, { id: 771302, mediaId: 'm-slow', tracks: F4_TRACKS });
  canvas.failAlways('/api/v1/media_attachments/771302/media_tracks', { kind: 'delay', ms: 1500 });
  return { canvas, client };
}

runProviderContract('canvas_media', async () => {
  const { canvas, client } = await startMediaCanvas();
  return {
    provider: createCanvasMediaProvider({ canvas: client }),
    detectInput: { kind: 'page', page: parsePageDocument(F3_MEDIA_EMBED) },
    goodRef: attachmentRef(771300, MEDIA_ID),
    permanentFailureRef: attachmentRef(771301, 'm-uncaptioned'),
    slowRef: attachmentRef(771302, 'm-slow'),
    close: () => canvas.close(),
  };
});

describe('canvas media provider against a fake Canvas', () => {
  let canvas: FakeCanvas;
  let client: CanvasClient;
  beforeAll(async () => {
    ({ canvas, client } = await startMediaCanvas());
  });
  afterAll(async () => {
    await canvas.close();
  });

  it('fetches the F3 embed it detected, asking the attachments route for WebVTT with the token', async () => {
    const provider = createCanvasMediaProvider({ canvas: client });
    const [ref] = provider.detect({ kind: 'page', page: parsePageDocument(F3_MEDIA_EMBED) });
    if (!ref) throw new Error('no ref detected');
    canvas.requests.length = 0;

    const transcript = await provider.fetch(ref, { courseId: COURSE });

    expect(transcript).toEqual({
      cues: [
        { startMs: 0, endMs: 4200, text: 'Good morning, everyone.' },
        {
          startMs: 4200,
          endMs: 9850,
          text: "Today we're looking at how lipids arrange themselves in water.",
        },
      ],
      timed: true,
      language: 'en',
    });
    expect(canvas.requests).toHaveLength(1);
    expect(canvas.requests[0]).toMatchObject({
      path: '/api/v1/media_attachments/771300/media_tracks',
      authorization: `Bearer ${SECRET_TOKEN}`,
    });
    expect(canvas.requests[0]?.query.getAll('include[]')).toEqual(['webvtt_content']);
  });

  it('picks the preferred language', async () => {
    const provider = createCanvasMediaProvider({ canvas: client, languages: ['fr', 'es-ES'] });
    const transcript = await provider.fetch(attachmentRef(771300), { courseId: COURSE });
    expect(transcript.language).toBe('es');
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['Buenos días a todos.']);
  });

  it('finds a teacher’s captions through the attachment where the media_objects route lists none', async () => {
    const provider = createCanvasMediaProvider({ canvas: client });
    // Canvas lists only the caller's own tracks on the media_objects route (reference §A5 Media).
    await expect(provider.fetch(mediaRef(MEDIA_ID), { courseId: COURSE })).rejects.toMatchObject({
      code: 'canvas_media.no_captions',
    });
    await expect(
      provider.fetch(attachmentRef(771300, MEDIA_ID), { courseId: COURSE }),
    ).resolves.toMatchObject({
      language: 'en',
    });
  });

  it('falls back to the media_objects route when the attachment itself has no track', async () => {
    canvas.content.addVideoFile(COURSE, { id: 771310, mediaId: 'm-shared' });
    canvas.content.addFile(COURSE, {
      id: 771311,
      display_name: 'copy.mp4',
      content_type: 'video/mp4',
      content: 'x',
      media_entry_id: 'm-shared',
    });
    // The student's own track, added to the other copy: only the media_objects route shows it.
    canvas.content.addMediaTrack('m-shared', {
      user_id: FAKE_STUDENT_ID,
      attachment_id: 771311,
      content: '1\n00:00:01,000 --> 00:00:03,000\nMy own captions.\n',
    });
    const provider = createCanvasMediaProvider({ canvas: client });
    canvas.requests.length = 0;

    const transcript = await provider.fetch(attachmentRef(771310, 'm-shared'), { courseId: COURSE });

    expect(transcript.cues).toEqual([{ startMs: 1000, endMs: 3000, text: 'My own captions.' }]);
    expect(canvas.count('media_attachment_tracks')).toBe(1);
    expect(canvas.count('media_object_tracks')).toBe(1);
  });

  it('says no_captions when the only tracks are descriptions or chapters', async () => {
    canvas.content.addVideoFile(COURSE, {
      id: 771320,
      mediaId: 'm-described',
      tracks: [
        { kind: 'descriptions', content: 'WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nA lab bench.\n' },
        { kind: 'chapters', content: 'WEBVTT\n\n00:00:00.000 --> 00:01:00.000\nIntro\n' },
      ],
    });
    const provider = createCanvasMediaProvider({ canvas: client });
    const error = await provider
      .fetch(attachmentRef(771320, 'm-described'), { courseId: COURSE })
      .catch((e) => e);
    expect(error).toMatchObject({ code: 'canvas_media.no_captions', transient: false });
    expect(error.message).toMatch(/no captions in Canvas yet.*PUT \/items\/\{id\}\/transcript/);
  });

  it('passes Canvas errors through unchanged: an attachment that is not media is "unauthorized"', async () => {
    canvas.content.addFile(COURSE, {
      id: 771330,
      display_name: 'notes.pdf',
      content_type: 'application/pdf',
      content: '%PDF',
    });
    const provider = createCanvasMediaProvider({ canvas: client });
    await expect(provider.fetch(attachmentRef(771330), { courseId: COURSE })).rejects.toMatchObject({
      code: 'canvas.forbidden',
      transient: false,
    });
  });

  it('passes a Canvas outage through as transient', async () => {
    canvas.failNext(
      '/api/v1/media_attachments/771300/media_tracks',
      { kind: 'server-error', status: 503 },
      4,
    );
    const provider = createCanvasMediaProvider({ canvas: client });
    await expect(provider.fetch(attachmentRef(771300), { courseId: COURSE })).rejects.toMatchObject({
      code: 'canvas.unavailable',
      transient: true,
    });
  });
});
