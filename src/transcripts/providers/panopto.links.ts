/**
 * Which URLs are Panopto recordings (reference §A6). Panopto serves everything under `/Panopto/`
 * on its own hosts (`*.hosted.panopto.com`, `*.cloud.panopto.eu`, `*.au.panopto.com`, …, as
 * yt-dlp's matcher `https?://[\w.-]+\.panopto\.(com|eu)/Panopto`) and on schools' custom names,
 * which still carry `/Panopto/Pages/` (Viewer, Embed) and `/Panopto/LTI/` (the launch URL inside
 * Canvas embeds). A session is named by its delivery id: `id=` on Viewer/Embed links,
 * `custom_context_delivery=` on LTI 1.1 launches. Pure: no I/O.
 * Moved from `media-links.ts`, which held every provider's rules.
 */

import { parseWebUrl, queryParam, unwrapCanvasToolLaunch } from '../page-html.ts';
import { hostIn } from '../provider-http.ts';
import type { DetectInput, MediaRef, PageLink } from '../transcript-provider.ts';
import { COURSE_LAUNCH_MESSAGE, panoptoErrors } from './panopto.errors.ts';

export type PanoptoLink =
  /** A recording: `deliveryId` is the lower-case GUID DeliveryInfo.aspx and GenerateSRT.ashx take. */
  | { kind: 'session'; origin: string; deliveryId: string }
  /** `/Panopto/LTI/LTI.aspx` without a delivery: the same link for every recording in the course. */
  | { kind: 'course_launch'; origin: string }
  /** Anything else on Panopto: playlists (`pid=`), folders (`Sessions/List.aspx#folderID=`), pages. */
  | { kind: 'other'; origin: string };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PANOPTO_HOST = hostIn(['.panopto.com', '.panopto.eu']);
const PANOPTO_PATH = /^\/panopto(?:\/|$)/i;
const CUSTOM_HOST_PATH = /^\/panopto\/(?:pages|lti)\//i;
const SESSION_PAGE = /^\/panopto\/pages\/(?:viewer|embed)\.aspx$/i;
const LTI_PATH = /^\/panopto\/lti\//i;

/** Reads a URL (already unwrapped from Canvas's `external_tools/retrieve`) as a Panopto link. */
export function parsePanoptoLink(url: URL): PanoptoLink | null {
  // A relative link in page HTML resolves to page-html's reserved `.invalid` placeholder host:
  // it names no Panopto server to ask.
  if (url.hostname.endsWith('.invalid')) return null;
  const onPanopto =
    (PANOPTO_HOST(url) && PANOPTO_PATH.test(url.pathname)) || CUSTOM_HOST_PATH.test(url.pathname);
  if (!onPanopto) return null;
  const { origin } = url;
  if (SESSION_PAGE.test(url.pathname)) {
    // A `pid` makes it a playlist even when an `id` names the session it starts at (as yt-dlp
    // treats it): the course meant the whole list, which has no single transcript.
    if (queryParam(url, 'pid') !== undefined) return { kind: 'other', origin };
    const id = guid(queryParam(url, 'id'));
    return id ? { kind: 'session', origin, deliveryId: id } : { kind: 'other', origin };
  }
  if (LTI_PATH.test(url.pathname)) {
    const id = guid(queryParam(url, 'custom_context_delivery'));
    return id ? { kind: 'session', origin, deliveryId: id } : { kind: 'course_launch', origin };
  }
  return { kind: 'other', origin };
}

/** The one URL a person opens a session at, so Embed and Viewer links collapse to it. */
export function panoptoViewerUrl(origin: string, deliveryId: string): string {
  return `${origin}/Panopto/Pages/Viewer.aspx?id=${deliveryId}`;
}

/** The viewer opened at a moment: Panopto's viewer and embed pages read `start` in seconds. */
export function panoptoLinkAt(source: { ref: string; url: string | null }, seconds: number): string | null {
  const viewer = source.url ? parseWebUrl(source.url) : null;
  if (!viewer || !isDeliveryId(source.ref)) return null;
  viewer.searchParams.set('start', String(seconds));
  return viewer.href;
}

export function isDeliveryId(value: string): boolean {
  return GUID.test(value);
}

function guid(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && GUID.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** Panopto sessions in what Canvas shows: an item's URL or a Page's links; Files hold none. */
export function detectPanoptoSessions(input: DetectInput): MediaRef[] {
  const found: { url: URL; title: string | null }[] =
    input.kind === 'url'
      ? urlInput(input.url, input.title ?? null)
      : input.kind === 'page'
        ? input.page.links.map((link) => ({ url: link.url, title: linkTitle(link) }))
        : [];
  const refs = new Map<string, MediaRef>();
  for (const { url, title } of found) {
    const link = parsePanoptoLink(url);
    if (link?.kind !== 'session') continue;
    const known = refs.get(link.deliveryId);
    if (known) {
      // An iframe without a title and a link with text to the same session: keep the text.
      if (!known.title && title) known.title = title;
      continue;
    }
    refs.set(link.deliveryId, {
      provider: 'panopto',
      ref: link.deliveryId,
      url: panoptoViewerUrl(link.origin, link.deliveryId),
      foundIn: input.kind === 'url' ? 'item_url' : 'page_body',
      details: { origin: link.origin },
      title,
    });
  }
  return [...refs.values()];
}

/** Why Panopto input names no session: the course-wide LTI link; null for anything else. */
export function explainPanoptoInput(input: DetectInput): { code: string; message: string } | null {
  if (detectPanoptoSessions(input).length > 0) return null;
  const urls =
    input.kind === 'url'
      ? urlInput(input.url, null).map(({ url }) => url)
      : input.kind === 'page'
        ? input.page.links.map((link) => link.url)
        : [];
  return urls.some((url) => parsePanoptoLink(url)?.kind === 'course_launch')
    ? { code: panoptoErrors.noSessionId.code, message: COURSE_LAUNCH_MESSAGE }
    : null;
}

function urlInput(raw: string, title: string | null): { url: URL; title: string | null }[] {
  const url = parseWebUrl(raw.trim());
  return url ? [{ url: unwrapCanvasToolLaunch(url) ?? url, title: cleanTitle(title) }] : [];
}

function linkTitle(link: PageLink): string | null {
  const { element } = link;
  const named = element.getAttribute('title') ?? element.getAttribute('aria-label');
  return cleanTitle(named ?? (element.rawTagName?.toLowerCase() === 'a' ? element.textContent : null));
}

function cleanTitle(value: string | null | undefined): string | null {
  const title = value?.replace(/\s+/g, ' ').trim();
  // A link whose text is its own URL says nothing about the lecture.
  return title && !/^https?:\/\//i.test(title) ? title : null;
}
