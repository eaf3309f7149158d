import { describe, expect, it } from 'vitest';
import {
  findMediaLinks,
  findMediaLinksInHtml,
  inferProvider,
  panoptoSessionId,
  parsePanoptoLink,
} from './media-links.ts';

const GUID = '4f0a9d2e-1c3b-4e5f-8a7b-9c0d1e2f3a4b';
const LTI_WITH_GUID = `https://school.hosted.panopto.com/Panopto/LTI/LTI.aspx?custom_context_delivery=${GUID}&custom_use_panopto_viewer=true`;
const CANVAS_RETRIEVE = `https://canvas.example.edu/courses/48213/external_tools/retrieve?display=borderless&url=${encodeURIComponent(LTI_WITH_GUID)}`;

describe('inferProvider', () => {
  it.each([
    [`https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}`, 'panopto'],
    [
      `https://uni.cloud.panopto.eu/Panopto/Pages/Embed.aspx?id=${GUID}&autoplay=false&offerviewer=true`,
      'panopto',
    ],
    [`https://college.au.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}`, 'panopto'],
    [`https://mediaweb.ap.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}`, 'panopto'],
    [`https://panopto.myschool.edu/Panopto/Pages/Viewer.aspx?id=${GUID}`, 'panopto'],
    [`https://lecturecapture.myschool.edu/Panopto/Pages/Embed.aspx?id=${GUID}`, 'panopto'],
    [`HTTPS://SCHOOL.HOSTED.PANOPTO.COM/PANOPTO/PAGES/VIEWER.ASPX?ID=${GUID.toUpperCase()}`, 'panopto'],
    ['https://school.hosted.panopto.com/Panopto/LTI/LTI.aspx', 'panopto'],
    ['https://lecturecapture.myschool.edu/Panopto/LTI/LTI.aspx', 'panopto'],
    ['https://lecturecapture.myschool.edu/Panopto/Content/logo.png', null],
    [CANVAS_RETRIEVE, 'panopto'],
    ['https://us02web.zoom.us/rec/share/q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP?pwd=7hRk2LmQ', 'zoom'],
    ['https://school.zoom.us/rec/play/AbC-123_xyz?startTime=1690000000000', 'zoom'],
    ['https://zoom.us/rec/share/opaque-token', 'zoom'],
    ['https://example.zoom.com/rec/share/opaque-token', 'zoom'],
    ['https://US06WEB.ZOOM.US/rec/share/opaque-token', 'zoom'],
    ['https://zoom.us/j/1234567890', null],
    ['https://us02web.zoom.us/j/84598792483?pwd=abc', null],
    ['https://zoom.us.evil.example/rec/share/token', null],
    ['https://notzoom.us/rec/share/token', null],
    ['https://www.panopto.com/blog/lecture-capture', null],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ', null],
    ['https://youtu.be/dQw4w9WgXcQ', null],
    ['https://canvas.example.edu/courses/1/pages/week-1', null],
    ['not a url', null],
    ['', null],
    ['https://', null],
    ['ftp://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=x', null],
    ['javascript:alert(1)', null],
  ])('%s → %s', (url, provider) => {
    expect(inferProvider(url)).toBe(provider);
  });
});

describe('panoptoSessionId', () => {
  it.each([
    [`https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}`, GUID],
    [`https://uni.cloud.panopto.eu/Panopto/Pages/Embed.aspx?autoplay=false&id=${GUID}&start=0`, GUID],
    [`https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?ID=${GUID.toUpperCase()}`, GUID],
    [CANVAS_RETRIEVE, GUID],
    [LTI_WITH_GUID, GUID],
    ['https://school.hosted.panopto.com/Panopto/LTI/LTI.aspx', null],
    ['https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=not-a-guid', null],
    [`https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?pid=${GUID}`, null],
    [`https://us02web.zoom.us/rec/share/${GUID}`, null],
    ['%%%', null],
  ])('%s → %s', (url, id) => {
    expect(panoptoSessionId(url)).toBe(id);
  });

  it('reports the Panopto origin, not Canvas’s, for a Canvas-embedded session', () => {
    expect(parsePanoptoLink(CANVAS_RETRIEVE)).toEqual({
      origin: 'https://school.hosted.panopto.com',
      sessionId: GUID,
    });
  });
});

describe('findMediaLinks', () => {
  it('finds a Zoom share link on an ExternalUrl item', () => {
    const url = 'https://example-edu.zoom.us/rec/share/q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP?pwd=7hRk2LmQ';
    expect(findMediaLinks({ type: 'ExternalUrl', external_url: url, title: 'Lecture 3.2 (Zoom)' })).toEqual([
      { provider: 'zoom', url },
    ]);
  });

  it('finds a Panopto Viewer link on an ExternalUrl item, as a canonical Viewer URL', () => {
    const url = `https://school.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=${GUID.toUpperCase()}&autoplay=false`;
    expect(findMediaLinks({ type: 'ExternalUrl', external_url: url })).toEqual([
      { provider: 'panopto', url: `https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}` },
    ]);
  });

  it('keeps a Panopto LTI tool item as panopto even though its link names no session', () => {
    const links = findMediaLinks({
      type: 'ExternalTool',
      title: 'Lecture 3.1 – Lipid bilayers (Panopto)',
      external_url: 'https://example.hosted.panopto.com/Panopto/LTI/LTI.aspx',
      url: 'https://canvas.example.edu/api/v1/courses/48213/external_tools/sessionless_launch?launch_type=module_item&module_item_id=5512002',
    });
    expect(links).toEqual([
      { provider: 'panopto', url: 'https://example.hosted.panopto.com/Panopto/LTI/LTI.aspx' },
    ]);
    expect(panoptoSessionId(links[0]?.url ?? '')).toBeNull();
  });

  it.each([
    { type: 'Page', url: `https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}` },
    { type: 'File', url: 'https://canvas.example.edu/api/v1/courses/1/files/2' },
    { type: 'ExternalUrl', external_url: null, url: null },
    { type: 'ExternalUrl', external_url: 'https://zoom.us/j/123' },
  ])('finds nothing on %j', (item) => {
    expect(findMediaLinks(item)).toEqual([]);
  });
});

describe('findMediaLinksInHtml', () => {
  it('finds iframes and links with encoded entities, Canvas LTI embeds and Zoom links, once each', () => {
    const html = `
      <p>Watch before class:</p>
      <iframe src="https://school.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=${GUID}&amp;autoplay=false&amp;offerviewer=true"></iframe>
      <a href="https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}">Same lecture in the viewer</a>
      <iframe src="/courses/48213/external_tools/retrieve?display=borderless&amp;url=${encodeURIComponent(
        LTI_WITH_GUID.replace(GUID, '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d'),
      )}"></iframe>
      <a href="https://us06web.zoom.us/rec/share/AbCdEf.123?pwd=xyz">Zoom recording</a>
      <a href="https://us06web.zoom.us/rec/share/AbCdEf.123?startTime=1690000000000">Same Zoom recording</a>
      <a href="https://zoom.us/j/1234567890">Office hours</a>
      <iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>
      <a href="/courses/48213/files/771234">Slides</a>
      <a>no href</a>`;
    expect(findMediaLinksInHtml(html)).toEqual([
      { provider: 'panopto', url: `https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${GUID}` },
      {
        provider: 'panopto',
        url: 'https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      },
      { provider: 'zoom', url: 'https://us06web.zoom.us/rec/share/AbCdEf.123?pwd=xyz' },
    ]);
  });

  it('resolves protocol-relative embed code but ignores relative links that are not Canvas embeds', () => {
    const html = `<iframe src="//uni.cloud.panopto.eu/Panopto/Pages/Embed.aspx?id=${GUID}"></iframe>
      <a href="/Panopto/Pages/Viewer.aspx?id=${GUID}">relative to Canvas, so not Panopto</a>`;
    expect(findMediaLinksInHtml(html)).toEqual([
      { provider: 'panopto', url: `https://uni.cloud.panopto.eu/Panopto/Pages/Viewer.aspx?id=${GUID}` },
    ]);
  });

  it('returns nothing for HTML without recordings, or for broken HTML', () => {
    expect(findMediaLinksInHtml('<p>Read chapter 4.</p>')).toEqual([]);
    expect(findMediaLinksInHtml('<iframe src="http://[::1')).toEqual([]);
    expect(findMediaLinksInHtml('')).toEqual([]);
  });
});
