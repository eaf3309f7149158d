import { createCanvasBadResponseError } from './canvas.errors.ts';

/**
 * Returns the `rel="next"` URL of an RFC 8288 `Link` header, or null when there is none.
 *
 * Accepts `rel=next` and `rel="next"`, several space-separated rels in one parameter
 * (`rel="next last"`) and any letter case. Canvas's URLs are opaque (numeric pages or
 * `page=bookmark:…` tokens), so the URL is returned verbatim. Shared reference §A3.
 *
 * @example parseNextLink('<https://c.edu/api/v1/courses?page=2&per_page=100>; rel="next"')
 *   // → 'https://c.edu/api/v1/courses?page=2&per_page=100'
 */
export function parseNextLink(linkHeader: string | null): string | null {
  if (!linkHeader) return null;
  // Each link is `<url>` followed by its parameters up to the next `<`. Bookmark tokens are
  // URL-encoded base64, so they contain neither `<` nor `>`.
  for (const match of linkHeader.matchAll(/<([^>]*)>([^<]*)/g)) {
    const url = match[1]?.trim();
    const params = match[2] ?? '';
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (url && rels.includes('next')) return url;
  }
  return null;
}

/** One fetched page: its payload and the raw `rel="next"` URL, if any. */
export type LinkedPage<T> = { data: T; nextUrl: string | null };

export type FollowNextLinksOptions = {
  /** Safety net against endless chains; reaching it is an error rather than a silent truncation. */
  maxPages?: number;
  /** Origin (`https://host[:port]`) every next URL must stay on, because the fetcher sends the token. */
  allowedOrigin?: string;
};

export const DEFAULT_MAX_PAGES = 1000;

/**
 * Yields the payload of every page of a Canvas list, starting at `firstUrl` and following
 * `rel="next"` verbatim. Never computes page numbers: bookmark collections cannot be addressed
 * that way. Stops when a page has no next link; throws `canvas.bad_response` on a loop (the same
 * URL twice), on more than `maxPages` pages, or on a next URL that leaves `allowedOrigin`.
 */
export async function* followNextLinks<T>(
  firstUrl: string,
  fetchPage: (url: string) => Promise<LinkedPage<T>>,
  options: FollowNextLinksOptions = {},
): AsyncGenerator<T, void, undefined> {
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const seen = new Set<string>();
  let url: string | null = firstUrl;
  while (url !== null) {
    const endpoint = new URL(url).pathname;
    if (seen.has(url)) {
      throw createCanvasBadResponseError({
        message: `Canvas pagination for ${endpoint} loops back to a page.`,
      });
    }
    if (seen.size >= maxPages) {
      throw createCanvasBadResponseError({
        message: `Canvas pagination for ${endpoint} exceeded ${maxPages} pages; refusing to continue.`,
      });
    }
    seen.add(url);
    const page: LinkedPage<T> = await fetchPage(url);
    yield page.data;
    url = page.nextUrl === null ? null : resolveNextUrl(page.nextUrl, url, options.allowedOrigin);
  }
}

function resolveNextUrl(nextUrl: string, currentUrl: string, allowedOrigin: string | undefined): string {
  let resolved: URL;
  try {
    // Canvas sends absolute URLs; resolving against the current page only matters for proxies.
    resolved = new URL(nextUrl, currentUrl);
  } catch (error) {
    throw createCanvasBadResponseError({
      message: 'Canvas sent an unparseable pagination link.',
      cause: error,
    });
  }
  if (allowedOrigin !== undefined && resolved.origin !== allowedOrigin) {
    throw createCanvasBadResponseError({
      message: `Canvas pagination pointed to another host (${resolved.origin}); not sending the token there.`,
    });
  }
  // Verbatim when absolute: re-serialising could re-encode an opaque bookmark.
  return URL.canParse(nextUrl) ? nextUrl : resolved.href;
}
