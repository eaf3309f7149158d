/**
 * Where a YouTube video is named: watch, share, embed (also youtube-nocookie), shorts and live
 * URLs, as items or as page links (reference §A6). One ref per video; its URL is the watch page.
 */

import { parseWebUrl } from '../page-html.ts';
import type { DetectInput, MediaRef, PageLink } from '../transcript-provider.ts';

export const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
// Eleven-character path words that are not ids (yt-dlp's `_VALID_URL` excludes them too).
const NOT_VIDEO_IDS = new Set(['videoseries', 'live_stream']);
const WATCH_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com']);
const NOCOOKIE_HOSTS = new Set(['youtube-nocookie.com', 'www.youtube-nocookie.com']);
const ID_PATHS = new Set(['embed', 'shorts', 'live', 'v']);
/** The YouTube video id in a watch, share, embed, shorts or live URL; null for anything else. */
export function youtubeVideoId(url: URL): string | null {
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const [first = '', second] = url.pathname.split('/').filter(Boolean);
  const head = first.toLowerCase();
  let id: string | null | undefined = null;
  if (host === 'youtu.be') id = first;
  else if (WATCH_HOSTS.has(host))
    id = head === 'watch' ? url.searchParams.get('v') : ID_PATHS.has(head) ? second : null;
  else if (NOCOOKIE_HOSTS.has(host) && head === 'embed') id = second;
  return id && VIDEO_ID.test(id) && !NOT_VIDEO_IDS.has(id) ? id : null;
}

export function detectVideos(input: DetectInput): MediaRef[] {
  const found = new Map<string, MediaRef>();
  const add = (url: URL | null, foundIn: MediaRef['foundIn'], title: string | null) => {
    const id = url && youtubeVideoId(url);
    if (!id) return;
    const known = found.get(id);
    if (known) {
      known.title ??= title;
      return;
    }
    found.set(id, { provider: 'youtube', ref: id, url: watchUrl(id), foundIn, details: {}, title });
  };
  if (input.kind === 'url') add(parseWebUrl(input.url.trim()), 'item_url', input.title ?? null);
  if (input.kind === 'page') for (const link of input.page.links) add(link.url, 'page_body', linkTitle(link));
  return [...found.values()];
}

/** The watch page opened at a moment (`t` in seconds). */
export function youtubeLinkAt(source: { ref: string }, seconds: number): string | null {
  if (!VIDEO_ID.test(source.ref)) return null;
  return `${watchUrl(source.ref)}&t=${seconds}s`;
}

function watchUrl(id: string): string {
  return `https://www.youtube.com/watch?v=${id}`;
}

/** An iframe's `title`, or a link's text when it is more than the URL itself. */
function linkTitle(link: PageLink): string | null {
  const { element } = link;
  const text = element.rawTagName?.toLowerCase() === 'a' ? element.textContent : '';
  const title = [text, element.getAttribute('title') ?? ''].map((s) => s.replace(/\s+/g, ' ').trim());
  return title.find((s) => s !== '' && !/^https?:\/\//i.test(s)) ?? null;
}
