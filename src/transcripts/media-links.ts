/**
 * Finds lecture recordings in Canvas data (module items, page HTML) and says which transcript
 * provider can serve each one. Which URLs count is a table (`PROVIDER_RULES`); see reference §A6
 * for where the URL shapes come from.
 */

import { parse as parseHtml } from 'node-html-parser';
import type { ProviderName } from './transcript-provider.ts';

/** A recording link and the provider that should fetch its transcript. */
export interface MediaLink {
  provider: ProviderName;
  url: string;
}

/** The module-item fields discovery reads (a subset of Canvas's ModuleItem). */
export interface MediaLinkItem {
  type: string;
  external_url?: string | null;
  url?: string | null;
  title?: string;
}

interface ProviderRule {
  provider: ProviderName;
  matches: (url: URL) => boolean;
}

const PROVIDER_RULES: readonly ProviderRule[] = [
  {
    // Panopto hosts (*.hosted.panopto.com, *.cloud.panopto.eu, custom names containing "panopto")
    // serve everything under /Panopto/; custom CNAMEs without "panopto" still have /Panopto/Pages/
    // (Viewer, Embed) and /Panopto/LTI/ (the launch URL inside Canvas embeds).
    provider: 'panopto',
    matches: (url) =>
      (url.hostname.includes('panopto') && /^\/panopto\//i.test(url.pathname)) ||
      /^\/panopto\/(?:pages|lti)\//i.test(url.pathname),
  },
  {
    // Only cloud-recording links; `/j/<id>` meeting links are not recordings.
    provider: 'zoom',
    matches: (url) =>
      /(?:^|\.)zoom(?:gov)?\.(?:us|com)$/.test(url.hostname) &&
      /^\/rec\/(?:share|play)\//i.test(url.pathname),
  },
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** `id` on Viewer/Embed links; `custom_context_delivery` on the LTI 1.1 launch URL Canvas embeds. */
const PANOPTO_ID_PARAMS = ['id', 'custom_context_delivery'];
const LINK_ITEM_TYPES = new Set(['ExternalUrl', 'ExternalTool']);
// Page HTML holds relative Canvas URLs; they resolve against this host only to be unwrapped.
const PLACEHOLDER_BASE = 'https://canvas.invalid/';

/** The provider for a recording URL, or `null` when no provider handles it (or it is not a URL). */
export function inferProvider(url: string): ProviderName | null {
  const parsed = parseHttpUrl(url);
  return parsed ? providerOf(unwrapCanvasToolLaunch(parsed) ?? parsed) : null;
}

/**
 * The Panopto delivery id (lower-case GUID) in a Viewer/Embed link or in a Canvas
 * `external_tools/retrieve?url=…custom_context_delivery=<GUID>` embed; `null` when the link does
 * not name a session, as with the generic `/Panopto/LTI/LTI.aspx` of Panopto module items.
 */
export function panoptoSessionId(url: string): string | null {
  return parsePanoptoLink(url)?.sessionId ?? null;
}

/** A Panopto link's origin (the Panopto host, never Canvas's) and session id, if it is one. */
export function parsePanoptoLink(url: string): { origin: string; sessionId: string | null } | null {
  const parsed = parseHttpUrl(url);
  if (!parsed) return null;
  const target = unwrapCanvasToolLaunch(parsed) ?? parsed;
  if (providerOf(target) !== 'panopto') return null;
  const id = PANOPTO_ID_PARAMS.map((name) => queryParam(target, name)).find(
    (value) => value && GUID.test(value),
  );
  return { origin: target.origin, sessionId: id ? id.toLowerCase() : null };
}

/** Recording links on an ExternalUrl/ExternalTool module item; other item types have none. */
export function findMediaLinks(item: MediaLinkItem): MediaLink[] {
  if (!LINK_ITEM_TYPES.has(item.type)) return [];
  return dedupe([item.external_url, item.url].map((url) => (url ? toMediaLink(url) : null)));
}

/**
 * Recording links in page HTML (`iframe[src]`, `embed[src]`, `a[href]`, entities decoded),
 * including Canvas `external_tools/retrieve` embeds of Panopto, one entry per recording.
 */
export function findMediaLinksInHtml(html: string): MediaLink[] {
  const elements = parseHtml(html).querySelectorAll('iframe[src], embed[src], a[href]');
  return dedupe(elements.map((el) => toMediaLink(el.getAttribute('src') ?? el.getAttribute('href') ?? '')));
}

function toMediaLink(raw: string): MediaLink | null {
  const parsed = parseHttpUrl(raw.trim(), PLACEHOLDER_BASE);
  if (!parsed) return null;
  const target = unwrapCanvasToolLaunch(parsed) ?? parsed;
  if (target.origin === new URL(PLACEHOLDER_BASE).origin) return null;
  const provider = providerOf(target);
  if (provider === null) return null;
  if (provider === 'panopto') {
    const sessionId = panoptoSessionId(target.href);
    // One stable URL per session, so an Embed and a Viewer link to the same recording collapse.
    if (sessionId) return { provider, url: `${target.origin}/Panopto/Pages/Viewer.aspx?id=${sessionId}` };
  }
  return { provider, url: target.href };
}

function dedupe(links: ReadonlyArray<MediaLink | null>): MediaLink[] {
  const seen = new Map<string, MediaLink>();
  for (const link of links) {
    if (!link) continue;
    // Zoom links differ only in `?pwd=`/`startTime=` for the same recording.
    const key = link.provider === 'zoom' ? link.url.split(/[?#]/)[0] : link.url;
    if (key !== undefined && !seen.has(key)) seen.set(key, link);
  }
  return [...seen.values()];
}

function providerOf(url: URL): ProviderName | null {
  return PROVIDER_RULES.find((rule) => rule.matches(url))?.provider ?? null;
}

/** Canvas embeds LTI content as `/courses/:id/external_tools/retrieve?url=<encoded tool URL>`. */
function unwrapCanvasToolLaunch(url: URL): URL | null {
  if (!/\/external_tools\/retrieve\/?$/i.test(url.pathname)) return null;
  const inner = queryParam(url, 'url');
  return inner ? parseHttpUrl(inner) : null;
}

function queryParam(url: URL, name: string): string | undefined {
  for (const [key, value] of url.searchParams) if (key.toLowerCase() === name) return value;
  return undefined;
}

function parseHttpUrl(raw: string, base?: string): URL | null {
  try {
    const url = new URL(raw, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}
