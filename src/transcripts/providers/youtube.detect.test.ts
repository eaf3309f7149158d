import { describe, expect, it } from 'vitest';
import { parsePageDocument } from '../page-html.ts';
import { youtubeVideoId } from './youtube.detect.ts';
import { createYouTubeProvider, rankTracks } from './youtube.provider.ts';

const ID = 'dQw4w9WgXcQ';
const WATCH = `https://www.youtube.com/watch?v=${ID}`;
const youtube = createYouTubeProvider();

describe('youtubeVideoId', () => {
  it.each([
    `https://www.youtube.com/watch?v=${ID}`,
    `https://youtube.com/watch?feature=shared&v=${ID}&t=42s`,
    `https://m.youtube.com/watch?v=${ID}`,
    `http://www.youtube.com/watch/?v=${ID}`,
    `https://youtu.be/${ID}?si=abc&t=90`,
    `https://www.youtube.com/embed/${ID}?start=30&rel=0`,
    `https://www.youtube-nocookie.com/embed/${ID}`,
    `https://youtube-nocookie.com/embed/${ID}?autoplay=1`,
    `https://www.youtube.com/shorts/${ID}`,
    `https://www.youtube.com/live/${ID}?feature=share`,
    `https://www.youtube.com/v/${ID}`,
    `https://WWW.YouTube.com./watch?v=${ID}`,
  ])('reads the id in %s', (url) => {
    expect(youtubeVideoId(new URL(url))).toBe(ID);
  });

  it.each([
    `https://music.youtube.com/watch?v=${ID}`,
    'https://www.youtube.com/embed/videoseries?list=PL1234567890',
    'https://www.youtube.com/live_stream?channel=UC123',
    'https://www.youtube.com/embed/live_stream?channel=UC123',
    'https://www.youtube.com/playlist?list=PL1234567890',
    'https://www.youtube.com/@prof',
    'https://www.youtube.com/watch?v=tooShort',
    `https://www.youtube.com/watch?v=${ID}x`,
    `https://www.youtube.com/results?search_query=${ID}`,
    `https://youtu.be/`,
    `https://www.youtube-nocookie.com/watch?v=${ID}`,
    `https://www.youtube.com.evil.example/watch?v=${ID}`,
    `https://notyoutube.com/watch?v=${ID}`,
    `https://example.com/embed/${ID}`,
  ])('reads no id in %s', (url) => {
    expect(youtubeVideoId(new URL(url))).toBeNull();
  });
});

describe('youtube detect', () => {
  it('turns an item URL into the video id, the canonical watch URL and the item title, dropping the offset', () => {
    expect(youtube.detect({ kind: 'url', url: ` https://youtu.be/${ID}?t=90 `, title: 'Lecture 4' })).toEqual(
      [{ provider: 'youtube', ref: ID, url: WATCH, foundIn: 'item_url', details: {}, title: 'Lecture 4' }],
    );
  });

  it('finds embeds and links in a page, one ref per video, titled by the iframe or the link text', () => {
    const page = parsePageDocument(
      `<p><iframe title="Week 1: cells" src="https://www.youtube-nocookie.com/embed/${ID}?start=10"></iframe></p>` +
        `<p>Also on <a href="https://www.youtube.com/watch?v=${ID}">YouTube</a>.</p>` +
        '<p><a href="https://youtu.be/AAAAAAAAAAA">https://youtu.be/AAAAAAAAAAA</a></p>' +
        '<p><a href="https://www.youtube.com/shorts/BBBBBBBBBBB"> Short  recap </a></p>' +
        '<p><a href="https://www.youtube.com/channel/UC123">Our channel</a></p>',
    );
    expect(youtube.detect({ kind: 'page', page })).toEqual([
      { provider: 'youtube', ref: ID, url: WATCH, foundIn: 'page_body', details: {}, title: 'Week 1: cells' },
      {
        provider: 'youtube',
        ref: 'AAAAAAAAAAA',
        url: 'https://www.youtube.com/watch?v=AAAAAAAAAAA',
        foundIn: 'page_body',
        details: {},
        title: null,
      },
      {
        provider: 'youtube',
        ref: 'BBBBBBBBBBB',
        url: 'https://www.youtube.com/watch?v=BBBBBBBBBBB',
        foundIn: 'page_body',
        details: {},
        title: 'Short recap',
      },
    ]);
  });

  it('takes a later title when the first mention of a video had none', () => {
    const page = parsePageDocument(
      `<iframe src="https://www.youtube.com/embed/${ID}"></iframe><a href="https://youtu.be/${ID}">Lecture 2</a>`,
    );
    expect(youtube.detect({ kind: 'page', page }).map((ref) => ref.title)).toEqual(['Lecture 2']);
  });

  it('finds a video that Canvas wraps in an external_tools/retrieve launch', () => {
    const wrapped = encodeURIComponent(`https://www.youtube.com/embed/${ID}`);
    const page = parsePageDocument(
      `<iframe src="https://canvas.example.edu/courses/1/external_tools/retrieve?display=borderless&amp;url=${wrapped}"></iframe>`,
    );
    expect(youtube.detect({ kind: 'page', page }).map((ref) => ref.ref)).toEqual([ID]);
  });

  it('claims no file', () => {
    const file = { id: 1, displayName: `${ID}.mp4`, contentType: 'video/mp4', size: 10, mediaEntryId: 'm-1' };
    expect(youtube.detect({ kind: 'file', file })).toEqual([]);
  });
});

describe('rankTracks', () => {
  const tracks = [
    { languageCode: 'es' },
    { languageCode: 'en', kind: 'asr' },
    { languageCode: 'en-GB' },
    { languageCode: 'de', kind: 'asr' },
  ];

  it('puts the preferred languages first, manual before automatic within one', () => {
    expect(rankTracks(tracks, ['en']).map((t) => t.languageCode)).toEqual(['en-GB', 'en', 'es', 'de']);
    expect(rankTracks(tracks, ['de', 'en-GB']).map((t) => t.languageCode)).toEqual([
      'de',
      'en-GB',
      'en',
      'es',
    ]);
  });

  it('without a preference, puts manual tracks first and otherwise keeps YouTube’s order', () => {
    expect(rankTracks(tracks, []).map((t) => t.languageCode)).toEqual(['es', 'en-GB', 'en', 'de']);
  });
});

describe('a time link', () => {
  it('opens the watch page at that second', () => {
    expect(youtube.linkAt?.({ ref: ID, url: WATCH }, 95)).toBe(`${WATCH}&t=95s`);
    expect(youtube.linkAt?.({ ref: 'short', url: null }, 95)).toBeNull();
  });
});
