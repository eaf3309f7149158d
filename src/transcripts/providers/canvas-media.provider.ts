/**
 * Canvas-native media (reference §A5 Media, §A6): video and audio uploaded to Canvas, embedded
 * in Pages or added as Files. Their caption tracks come from Canvas's media_tracks API with the
 * Canvas token, through the Canvas client, so the client's host rules, throttling and errors
 * apply unchanged.
 *
 * Canvas Studio embeds (`*.instructuremedia.com`) are not detected here: their captions live in
 * Studio's own API, which a student's Canvas token cannot read (reference §I). Such an item ends
 * with no source, and the student can upload a caption file for it.
 */

import type { HTMLElement } from 'node-html-parser';
import type { CanvasApi, CanvasMediaTarget, CanvasMediaTrack } from '../../canvas/canvas.schemas.ts';
import { parseCaptions } from '../captions.parser.ts';
import { parseWebUrl, queryParam } from '../page-html.ts';
import type {
  DetectFile,
  DetectInput,
  FetchedTranscript,
  FoundIn,
  MediaRef,
  PageDocument,
  TranscriptCue,
  TranscriptProvider,
} from '../transcript-provider.ts';
import { defineTranscriptProvider } from '../transcript-provider.ts';
import { canvasMediaErrors } from './canvas-media.errors.ts';

export interface CanvasMediaProviderOptions {
  /** The Canvas client (or the demo account) that lists a media's caption tracks. */
  canvas: Pick<CanvasApi, 'listMediaTracks'>;
  /** Preferred caption languages (BCP 47), best first; without a match the first track wins. */
  languages?: readonly string[];
}

/** What one embed, link or file tells about a Canvas media. */
interface Sighting {
  attachmentId?: string;
  mediaId?: string;
  title?: string | null;
  /** The Canvas player page, when the page named the Canvas host. */
  url?: string | null;
}

// Shard-aware ids (`12~345`) are ids too (reference §A1).
const ATTACHMENT_PATH = /\/media_attachments_iframe\/(\d+(?:~\d+)?)\/?$/i;
const MEDIA_PATH = /\/media_objects_iframe\/([\w-]+)\/?$/i;
// API bodies rewrite legacy media comments to `<video src="…/media_download?entryId=…">`.
const MEDIA_DOWNLOAD_PATH = /\/media_download\/?$/i;
const INLINE_COMMENT_ID = /^media_comment_([\w-]+)$/;
// Kaltura entry ids (`0_abc12345`) and Canvas media ids (`m-…`).
const MEDIA_ID = /^[\w-]+$/;
const STUDIO_HOST = /(?:^|\.)instructuremedia\.com$/i;
const CANDIDATES = 'iframe, embed, video, audio, source, a, [data-media-id], [data-media_comment_id]';
const CAPTION_KINDS = new Set(['captions', 'subtitles']);

export function createCanvasMediaProvider(options: CanvasMediaProviderOptions): TranscriptProvider {
  const languages = options.languages ?? [];
  return defineTranscriptProvider({
    name: 'canvas_media',
    detect: detectCanvasMedia,
    async fetch(ref, { signal }): Promise<FetchedTranscript> {
      signal?.throwIfAborted();
      const attachmentId = ref.details.attachment_id ?? idFromRef(ref.ref, 'attachment');
      const mediaId = ref.details.media_id ?? idFromRef(ref.ref, 'media');
      const targets: CanvasMediaTarget[] = [
        ...(attachmentId ? [{ attachmentId }] : []),
        ...(mediaId ? [{ mediaId }] : []),
      ];
      if (targets.length === 0) throw canvasMediaErrors.invalidRef();
      // The attachments route first: it includes the tracks inherited from the media object,
      // while the media_objects route lists only the caller's own tracks (reference §A5 Media).
      for (const target of targets) {
        const tracks = await options.canvas.listMediaTracks(target, { signal });
        const chosen = chooseTrack(tracks, languages);
        if (chosen) return { cues: chosen.cues, timed: true, language: chosen.track.locale ?? null };
      }
      throw canvasMediaErrors.noCaptions();
    },
  });
}

export function detectCanvasMedia(input: DetectInput): MediaRef[] {
  switch (input.kind) {
    case 'url': {
      const url = parseWebUrl(input.url);
      const sighting = url ? fromUrl(url) : null;
      return sighting ? toRefs([{ ...sighting, title: input.title ?? null }], 'item_url') : [];
    }
    case 'page':
      return toRefs(pageSightings(input.page), 'page_body');
    case 'file':
      return isMediaFile(input.file)
        ? toRefs(
            [
              {
                attachmentId: String(input.file.id),
                ...(input.file.mediaEntryId ? { mediaId: input.file.mediaEntryId } : {}),
                title: input.file.displayName,
              },
            ],
            'file',
          )
        : [];
  }
}

function isMediaFile(file: DetectFile): boolean {
  return /^(?:audio|video)\//i.test(file.contentType ?? '') || Boolean(file.mediaEntryId);
}

/** Every embed in document order: a URL from `page.links`, media ids from the element's attributes. */
function pageSightings(page: PageDocument): Sighting[] {
  const urls = new Map<HTMLElement, URL>(page.links.map((link) => [link.element, link.url]));
  const sightings: Sighting[] = [];
  for (const element of page.root.querySelectorAll(CANDIDATES)) {
    const url = urls.get(element);
    if (url && STUDIO_HOST.test(url.hostname)) continue;
    const fromLink = url ? fromUrl(url) : null;
    const attributeId = mediaIdAttribute(element);
    if (!fromLink && !attributeId) continue;
    sightings.push({
      ...fromLink,
      ...((fromLink?.mediaId ?? attributeId) ? { mediaId: fromLink?.mediaId ?? attributeId } : {}),
      title: element.getAttribute('title')?.trim() || null,
    });
  }
  return sightings;
}

function mediaIdAttribute(element: HTMLElement): string | undefined {
  const inline = element.classList.contains('instructure_inline_media_comment')
    ? INLINE_COMMENT_ID.exec(element.id)?.[1]
    : undefined;
  const id = (
    element.getAttribute('data-media-id') ??
    element.getAttribute('data-media_comment_id') ??
    inline
  )?.trim();
  return id && MEDIA_ID.test(id) ? id : undefined;
}

function fromUrl(url: URL): Sighting | null {
  const attachmentId = ATTACHMENT_PATH.exec(url.pathname)?.[1];
  const entryId = MEDIA_DOWNLOAD_PATH.test(url.pathname) ? queryParam(url, 'entryId') : undefined;
  const mediaId =
    MEDIA_PATH.exec(url.pathname)?.[1] ?? (entryId && MEDIA_ID.test(entryId) ? entryId : undefined);
  if (!attachmentId && !mediaId) return null;
  return {
    ...(attachmentId ? { attachmentId } : {}),
    ...(mediaId ? { mediaId } : {}),
    url: playerUrl(url, attachmentId, mediaId),
  };
}

/**
 * The Canvas player for this media, without the page's query (a `verifier` grants file access).
 * Relative embeds resolve against a reserved `.invalid` host: those name no page to open.
 */
function playerUrl(url: URL, attachmentId: string | undefined, mediaId: string | undefined): string | null {
  if (url.hostname.endsWith('.invalid')) return null;
  if (attachmentId) return new URL(`/media_attachments_iframe/${attachmentId}`, url.origin).href;
  if (mediaId && MEDIA_PATH.test(url.pathname))
    return new URL(`/media_objects_iframe/${mediaId}`, url.origin).href;
  return null;
}

/**
 * One ref per media: by attachment id when any sighting of the media knows it (an iframe with
 * both ids, a legacy link with only the media id), else by media id. Later sightings fill in
 * what earlier ones lacked.
 */
function toRefs(sightings: readonly Sighting[], foundIn: FoundIn): MediaRef[] {
  const attachmentOf = new Map<string, string>();
  for (const s of sightings) if (s.attachmentId && s.mediaId) attachmentOf.set(s.mediaId, s.attachmentId);
  const refs = new Map<string, MediaRef>();
  for (const sighting of sightings) {
    const attachmentId =
      sighting.attachmentId ?? (sighting.mediaId ? attachmentOf.get(sighting.mediaId) : undefined);
    const key = attachmentId ? `attachment:${attachmentId}` : `media:${sighting.mediaId}`;
    const seen = refs.get(key);
    const details = {
      ...(attachmentId ? { attachment_id: attachmentId } : {}),
      ...(sighting.mediaId ? { media_id: sighting.mediaId } : {}),
    };
    refs.set(key, {
      provider: 'canvas_media',
      ref: key,
      url: seen?.url ?? sighting.url ?? null,
      foundIn,
      details: { ...details, ...seen?.details },
      title: seen?.title ?? sighting.title ?? null,
    });
  }
  return [...refs.values()];
}

function idFromRef(ref: string, kind: 'attachment' | 'media'): string | undefined {
  return ref.startsWith(`${kind}:`) ? ref.slice(kind.length + 1) || undefined : undefined;
}

/**
 * The caption or subtitle track in the most preferred language whose text parses into cues;
 * descriptions, chapters and metadata are not the lecture's words. Canvas defaults `kind` to
 * subtitles, so a track without one counts.
 */
export function chooseTrack(
  tracks: readonly CanvasMediaTrack[],
  languages: readonly string[],
): { track: CanvasMediaTrack; cues: TranscriptCue[] } | null {
  const rank = (track: CanvasMediaTrack) => languageRank(track.locale ?? '', languages);
  const candidates = tracks
    .filter((track) => CAPTION_KINDS.has((track.kind ?? 'subtitles').toLowerCase()))
    .map((track, index) => ({ track, index }))
    .sort((a, b) => rank(a.track) - rank(b.track) || a.index - b.index);
  for (const { track } of candidates) {
    for (const text of [track.webvtt_content, track.content]) {
      const cues = text ? parseCaptions(text) : [];
      if (cues.length > 0) return { track, cues };
    }
  }
  return null;
}

/** An exact tag first, then the same base language (`en` for `en-GB`); unlisted last. */
function languageRank(locale: string, languages: readonly string[]): number {
  const tag = locale.toLowerCase();
  const base = tag.split(/[-_]/)[0];
  for (const [index, wanted] of languages.entries()) {
    const want = wanted.toLowerCase();
    if (want === tag) return index * 2;
    if (want.split(/[-_]/)[0] === base) return index * 2 + 1;
  }
  return languages.length * 2;
}
