/**
 * Finds the recordings (and readings) module items hold, within the request budget: a link
 * item costs nothing (its URL is in the module listing); a Page or a File costs one Canvas
 * request when first seen and none on a re-sync while it is unchanged. A page is unchanged
 * when the Pages index (one paginated request per course) shows the `updated_at` we read it
 * at; a file is unchanged while the item points at the same file id, since Canvas gives a
 * replaced file a new id. When the Pages index is hidden from students, each page is read.
 */

import type { CanvasApi, CanvasModuleItem, CanvasPageSummary } from '../canvas/canvas.schemas.ts';
import { sourceKey } from '../db/repositories/media-sources.repository.ts';
import { isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { parsePageDocument } from '../transcripts/page-html.ts';
import { pageReadingRef } from '../transcripts/providers/reading.provider.ts';
import type { TranscriptProviders } from '../transcripts/providers.registry.ts';
import type { DetectInput, MediaRef } from '../transcripts/transcript-provider.ts';

export type Discovery =
  /** Read now: these are the item's recordings (none is an answer too). */
  | {
      kind: 'found';
      refs: MediaRef[];
      /** The page's `updated_at` or the file's id, to compare with on the next sync. */
      contentVersion: string | null;
      /** Why a link that points at a known host names no recording, when it does not. */
      unusable: { code: string; message: string } | null;
    }
  /**
   * Not read again (unchanged, or it could not be read): keep what was found before. A page or
   * file Canvas refuses for good records `contentVersion`, so a re-sync does not ask again
   * until it changes.
   */
  | { kind: 'kept'; contentVersion?: string };

export type ContentDiscovery = ReturnType<typeof createContentDiscovery>;

const LINK_TYPES = new Set(['ExternalUrl', 'ExternalTool']);
/** Errors after which the sync itself must fail rather than keep older findings. */
const FATAL_CODES = new Set(['canvas.unauthorized']);

export function createContentDiscovery(deps: {
  canvas: CanvasApi;
  providers: TranscriptProviders;
  logger: Logger;
  /** Resolves relative links in page HTML. */
  canvasBaseUrl?: string;
}) {
  const logger = deps.logger.child({ module: 'discovery' });

  const detect = (input: DetectInput) => deps.providers.all.flatMap((provider) => provider.detect(input));
  const explain = (input: DetectInput) => {
    for (const provider of deps.providers.all) {
      const reason = provider.explainUnusable?.(input);
      if (reason) return reason;
    }
    return null;
  };

  const fromLinks = (item: CanvasModuleItem): Discovery => {
    const urls = [...new Set([item.external_url, item.url].filter((url): url is string => Boolean(url)))];
    const refs = dedupe(urls.flatMap((url) => detect({ kind: 'url', url, title: item.title })));
    const unusable =
      refs.length === 0
        ? (urls.map((url) => explain({ kind: 'url', url, title: item.title })).find(Boolean) ?? null)
        : null;
    return { kind: 'found', refs, contentVersion: null, unusable };
  };

  /** Reads that fail keep the older findings; a revoked token or an abort stops the sync. */
  const guarded = async (
    what: { itemId: number; kind: string },
    read: () => Promise<Discovery>,
    options: { signal: AbortSignal | undefined; versionIfRefused: string },
  ): Promise<Discovery> => {
    try {
      return await read();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (!isAppError(error) || FATAL_CODES.has(error.code)) throw error;
      logger.warn(
        { ...what, code: error.code },
        'could not read the content of an item; keeping what was found before',
      );
      // Refused for good (403, 404): not asked again until it changes. An outage: next sync.
      return error.transient ? { kind: 'kept' } : { kind: 'kept', contentVersion: options.versionIfRefused };
    }
  };

  const readPage = async (
    courseId: number,
    item: CanvasModuleItem,
    slug: string,
    signal?: AbortSignal,
  ): Promise<Discovery> => {
    const page = await deps.canvas.getPage(courseId, slug, { signal });
    // Locked for now (a module lock, an unlock date): no body to read, so nothing is known anew.
    if (page.locked_for_user && !page.body)
      return { kind: 'kept', contentVersion: page.updated_at ?? UNLISTED };
    const document = parsePageDocument(page.body ?? '', { baseUrl: deps.canvasBaseUrl });
    let refs = dedupe(detect({ kind: 'page', page: document }));
    // A page that only embeds a link naming no recording (the course-wide Panopto launch) is
    // not a reading of its few words around it: it says why there is nothing to fetch.
    const unusable =
      refs.length === 0
        ? (document.links.map((link) => explain({ kind: 'url', url: link.url.href })).find(Boolean) ?? null)
        : null;
    if (refs.length === 0 && !unusable && document.root.textContent.trim() !== '') {
      refs = [pageReadingRef({ url: page.url, title: page.title ?? item.title })];
    }
    return { kind: 'found', refs, contentVersion: page.updated_at ?? null, unusable };
  };

  const readFile = async (courseId: number, fileId: number, signal?: AbortSignal): Promise<Discovery> => {
    const file = await deps.canvas.getFile(courseId, fileId, { signal });
    const refs = dedupe(
      detect({
        kind: 'file',
        file: {
          id: file.id,
          displayName: file.display_name,
          contentType: file['content-type'] ?? null,
          size: file.size ?? null,
          mediaEntryId: file.media_entry_id ?? null,
        },
      }),
    );
    return { kind: 'found', refs, contentVersion: fileVersion(fileId), unusable: null };
  };

  return {
    /**
     * What each item holds. `known` has the content version each item was last read at
     * (absent or null: never read), so unchanged pages and files cost nothing.
     */
    async discover(
      courseId: number,
      items: readonly CanvasModuleItem[],
      known: ReadonlyMap<number, string | null>,
      options: { signal?: AbortSignal } = {},
    ): Promise<Map<number, Discovery>> {
      const { signal } = options;
      const results = new Map<number, Discovery>();
      const pages = items.filter((item) => item.type === 'Page' && item.page_url);
      // Only a re-sync has versions to compare; a first sync reads every page anyway.
      const index = pages.some((item) => known.get(item.id)) ? await listPageIndex(courseId, signal) : null;

      const reads: Promise<void>[] = [];
      for (const item of items) {
        if (LINK_TYPES.has(item.type)) {
          results.set(item.id, fromLinks(item));
        } else if (item.type === 'Page' && item.page_url) {
          const slug = item.page_url;
          // A page missing from the index (unpublished, so refused to students) stays unread
          // while it stays missing.
          const version = index ? (index.get(slug) ?? UNLISTED) : undefined;
          if (version && version === known.get(item.id)) {
            results.set(item.id, { kind: 'kept' });
            continue;
          }
          reads.push(
            guarded({ itemId: item.id, kind: 'page' }, () => readPage(courseId, item, slug, signal), {
              signal,
              versionIfRefused: version ?? UNLISTED,
            }).then((found) => void results.set(item.id, found)),
          );
        } else if (item.type === 'File' && item.content_id != null) {
          const fileId = item.content_id;
          if (known.get(item.id) === fileVersion(fileId)) {
            results.set(item.id, { kind: 'kept' });
            continue;
          }
          reads.push(
            guarded({ itemId: item.id, kind: 'file' }, () => readFile(courseId, fileId, signal), {
              signal,
              versionIfRefused: fileVersion(fileId),
            }).then((found) => void results.set(item.id, found)),
          );
        } else {
          results.set(item.id, { kind: 'found', refs: [], contentVersion: null, unusable: null });
        }
      }
      // The Canvas client bounds how many of these run at once.
      await Promise.all(reads);
      return results;
    },
  };

  async function listPageIndex(courseId: number, signal?: AbortSignal): Promise<Map<string, string> | null> {
    let pages: CanvasPageSummary[] | null;
    try {
      pages = await deps.canvas.listPages(courseId, { signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (!isAppError(error) || FATAL_CODES.has(error.code)) throw error;
      logger.warn({ courseId, code: error.code }, 'could not list the pages; reading each page instead');
      return null;
    }
    if (pages === null) return null;
    return new Map(
      pages.filter((page) => page.updated_at).map((page) => [page.url, page.updated_at as string]),
    );
  }
}

const fileVersion = (fileId: number) => `file:${fileId}`;
/** The version of a page the Pages index does not list. */
const UNLISTED = 'unlisted';

function dedupe(refs: readonly MediaRef[]): MediaRef[] {
  const seen = new Map<string, MediaRef>();
  for (const ref of refs) {
    const key = sourceKey(ref);
    if (!seen.has(key)) seen.set(key, ref);
  }
  return [...seen.values()];
}
