/**
 * A Canvas Page's HTML, parsed once for every provider's `detect`. Canvas rewrites bodies for
 * API callers (reference §A5 Pages): attribute values are entity-encoded, root-relative URLs are
 * made absolute, and LTI embeds are `/courses/:id/external_tools/retrieve?url=<tool URL>`. The
 * links here are decoded, resolved, and unwrapped to the tool URL, so providers match the
 * recording's own URL wherever it was embedded.
 */

import { parse as parseHtml } from 'node-html-parser';
import type { PageDocument, PageLink } from './transcript-provider.ts';

const LINK_SELECTOR = 'iframe[src], embed[src], video[src], source[src], a[href]';
// Relative URLs in hand-written HTML resolve against this placeholder only to be unwrapped or
// kept as Canvas paths (`/media_attachments_iframe/…`); they never leave this process.
const PLACEHOLDER_BASE = 'https://canvas.invalid/';
/**
 * A lecture page holds a handful of links; a page with thousands is read for its first ones, so
 * per-link work (a Zoom passcode looked up beside each link) stays bounded.
 */
export const MAX_PAGE_LINKS = 500;

export function parsePageDocument(html: string, options: { baseUrl?: string } = {}): PageDocument {
  const root = parseHtml(html);
  const base = options.baseUrl ?? PLACEHOLDER_BASE;
  const links: PageLink[] = [];
  for (const element of root.querySelectorAll(LINK_SELECTOR)) {
    const raw = element.getAttribute('src') ?? element.getAttribute('href') ?? '';
    const parsed = parseWebUrl(raw.trim(), base);
    if (parsed) links.push({ url: unwrapCanvasToolLaunch(parsed) ?? parsed, element });
    if (links.length >= MAX_PAGE_LINKS) break;
  }
  return { root, links };
}

/** Canvas embeds LTI content as `/courses/:id/external_tools/retrieve?url=<encoded tool URL>`. */
export function unwrapCanvasToolLaunch(url: URL): URL | null {
  if (!/\/external_tools\/retrieve\/?$/i.test(url.pathname)) return null;
  const inner = queryParam(url, 'url');
  return inner ? parseWebUrl(inner) : null;
}

/** A query parameter by case-insensitive name (Panopto and LTI URLs vary the case). */
export function queryParam(url: URL, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** An http(s) URL, or null for anything else (a `javascript:` link, garbage). */
export function parseWebUrl(raw: string, base?: string): URL | null {
  try {
    const url = new URL(raw, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** The text beside an element: its own, and its parent block's, for "Passcode: …" notes. */
export function surroundingText(link: PageLink): string {
  const parent = link.element.parentNode;
  const block =
    parent?.parentNode && parent.rawTagName && /^(?:a|span|strong|em|b|i)$/i.test(parent.rawTagName)
      ? parent.parentNode
      : parent;
  return (block ?? link.element).textContent.replace(/\s+/g, ' ').trim();
}
