import { describe, expect, it } from 'vitest';
import { parsePageDocument } from '../page-html.ts';
import type { DetectInput } from '../transcript-provider.ts';
import { parsePanoptoLink } from './panopto.links.ts';
import { createPanoptoProvider } from './panopto.provider.ts';

const GUID = '4f0a9d2e-1c3b-4e5f-8a7b-9c0d1e2f3a4b';
const OTHER = 'a7f12f1d-3872-4310-84b0-f8d8ab15326b';
const HOST = 'https://school.hosted.panopto.com';
const VIEWER = `${HOST}/Panopto/Pages/Viewer.aspx?id=${GUID}`;
const LTI_WITH_GUID = `${HOST}/Panopto/LTI/LTI.aspx?custom_context_delivery=${GUID}&custom_use_panopto_viewer=true`;
const CANVAS_RETRIEVE = `https://canvas.example.edu/courses/48213/external_tools/retrieve?display=borderless&url=${encodeURIComponent(LTI_WITH_GUID)}`;

const provider = createPanoptoProvider();
const url = (value: string, title?: string): DetectInput => ({ kind: 'url', url: value, title });
const page = (html: string): DetectInput => ({ kind: 'page', page: parsePageDocument(html) });

describe('parsePanoptoLink', () => {
  it.each([
    [VIEWER, 'session'],
    [`https://uni.cloud.panopto.eu/Panopto/Pages/Embed.aspx?autoplay=false&id=${GUID}&start=0`, 'session'],
    [`https://college.au.panopto.com/Panopto/Pages/Viewer.aspx?ID=${GUID.toUpperCase()}`, 'session'],
    [`https://lecturecapture.myschool.edu/Panopto/Pages/Embed.aspx?id=${GUID}`, 'session'],
    [`HTTPS://SCHOOL.HOSTED.PANOPTO.COM/PANOPTO/PAGES/VIEWER.ASPX?ID=${GUID}`, 'session'],
    [LTI_WITH_GUID, 'session'],
    [`${HOST}/Panopto/LTI/LTI.aspx`, 'course_launch'],
    ['https://lecturecapture.myschool.edu/Panopto/LTI/LTI.aspx', 'course_launch'],
    [`${HOST}/Panopto/Pages/Viewer.aspx?pid=${GUID}`, 'other'],
    [`${HOST}/Panopto/Pages/Viewer.aspx?pid=${OTHER}&id=${GUID}`, 'other'],
    [`${HOST}/Panopto/Pages/Sessions/List.aspx#folderID=%22${GUID}%22`, 'other'],
    [`${HOST}/Panopto/Pages/Viewer.aspx?id=not-a-guid`, 'other'],
    ['https://lecturecapture.myschool.edu/Panopto/Content/logo.png', null],
    ['https://www.panopto.com/blog/lecture-capture', null],
    [`https://example.com/Viewer.aspx?id=${GUID}`, null],
  ])('%s → %s', (raw, kind) => {
    expect(parsePanoptoLink(new URL(raw))?.kind ?? null).toBe(kind);
  });

  it('reads the delivery id in lower case and keeps the Panopto origin', () => {
    expect(parsePanoptoLink(new URL(`${HOST}/Panopto/Pages/Embed.aspx?id=${GUID.toUpperCase()}`))).toEqual({
      kind: 'session',
      origin: HOST,
      deliveryId: GUID,
    });
  });
});

describe('panopto detect', () => {
  it('turns an item URL into one ref with the Viewer URL, the host and the title', () => {
    expect(
      provider.detect(
        url(`${HOST}/Panopto/Pages/Embed.aspx?id=${GUID.toUpperCase()}&autoplay=false`, 'Lecture 3'),
      ),
    ).toEqual([
      {
        provider: 'panopto',
        ref: GUID,
        url: VIEWER,
        foundIn: 'item_url',
        details: { origin: HOST },
        title: 'Lecture 3',
      },
    ]);
  });

  it('unwraps a Canvas external_tools/retrieve URL on an ExternalTool item', () => {
    expect(provider.detect(url(CANVAS_RETRIEVE))).toMatchObject([
      { ref: GUID, url: VIEWER, details: { origin: HOST } },
    ]);
  });

  it('finds sessions in page iframes, LTI embeds and links, one ref per session, titled', () => {
    const html = `
      <p><iframe src="${HOST}/Panopto/Pages/Embed.aspx?id=${GUID}&amp;autoplay=false"></iframe></p>
      <p><a href="${VIEWER}">Week 3: membranes</a></p>
      <iframe title="Week 4: channels" src="${CANVAS_RETRIEVE.replace(GUID, OTHER)}"></iframe>
      <a href="${HOST}/Panopto/Pages/Viewer.aspx?pid=${GUID}">The whole playlist</a>`;
    expect(provider.detect(page(html))).toEqual([
      {
        provider: 'panopto',
        ref: GUID,
        url: VIEWER,
        foundIn: 'page_body',
        details: { origin: HOST },
        title: 'Week 3: membranes',
      },
      {
        provider: 'panopto',
        ref: OTHER,
        url: `${HOST}/Panopto/Pages/Viewer.aspx?id=${OTHER}`,
        foundIn: 'page_body',
        details: { origin: HOST },
        title: 'Week 4: channels',
      },
    ]);
  });

  it('takes no title from a link whose text is its URL', () => {
    expect(provider.detect(page(`<a href="${VIEWER}">${VIEWER}</a>`))).toMatchObject([
      { ref: GUID, title: null },
    ]);
  });

  it.each([
    ['a playlist', url(`${HOST}/Panopto/Pages/Viewer.aspx?pid=${GUID}`)],
    ['a folder', url(`${HOST}/Panopto/Pages/Sessions/List.aspx#folderID="${GUID}"`)],
    ['the course-wide LTI link', url(`${HOST}/Panopto/LTI/LTI.aspx`)],
    ['a YouTube link', url('https://www.youtube.com/watch?v=dQw4w9WgXcQ')],
    [
      'a relative link in a page, which names no host',
      page(`<a href="/Panopto/Pages/Viewer.aspx?id=${GUID}">x</a>`),
    ],
    [
      'a video file',
      {
        kind: 'file',
        file: { id: 1, displayName: 'lecture.mp4', contentType: 'video/mp4', size: 10, mediaEntryId: 'm-1' },
      } as const,
    ],
  ])('finds no session in %s', (_case, input) => {
    expect(provider.detect(input)).toEqual([]);
  });
});

describe('panopto explainUnusable', () => {
  it.each([
    ['an item URL', url(`${HOST}/Panopto/LTI/LTI.aspx`)],
    [
      'a page embedding only the launch',
      page(
        `<iframe src="https://canvas.example.edu/courses/1/external_tools/retrieve?url=${encodeURIComponent(`${HOST}/Panopto/LTI/LTI.aspx`)}"></iframe>`,
      ),
    ],
  ])('explains the course-wide LTI link in %s', (_case, input) => {
    const explained = provider.explainUnusable?.(input);
    expect(explained).toEqual({
      code: 'panopto.no_session_id',
      message: expect.stringMatching(/same for every recording/),
    });
    expect(explained?.message).toMatch(/Viewer or Embed URL.*Page/);
    // One sentence: a single full stop, at the end.
    expect(explained?.message).toMatch(/^[^.]+\.$/);
  });

  it.each([
    ['a session link', url(VIEWER)],
    [
      'a page with a session beside the launch link',
      page(`<a href="${HOST}/Panopto/LTI/LTI.aspx">All</a><iframe src="${VIEWER}"></iframe>`),
    ],
    ['a playlist', url(`${HOST}/Panopto/Pages/Viewer.aspx?pid=${GUID}`)],
    ['an unrelated link', url('https://example.com/Panopto')],
  ])('explains nothing for %s', (_case, input) => {
    expect(provider.explainUnusable?.(input)).toBeNull();
  });
});

describe('a time link', () => {
  it('opens the viewer at that second', () => {
    expect(provider.linkAt?.({ ref: GUID, url: VIEWER }, 754)).toBe(`${VIEWER}&start=754`);
    // A stored link that already carries a start is moved, not doubled.
    expect(provider.linkAt?.({ ref: GUID, url: `${VIEWER}&start=0` }, 5)).toBe(`${VIEWER}&start=5`);
  });

  it('is not made for a session without an id or a link', () => {
    expect(provider.linkAt?.({ ref: 'not-a-guid', url: VIEWER }, 5)).toBeNull();
    expect(provider.linkAt?.({ ref: GUID, url: null }, 5)).toBeNull();
  });
});
