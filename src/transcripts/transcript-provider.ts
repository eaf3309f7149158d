/**
 * The transcript provider contract, in two steps:
 * - `detect` reads what Canvas shows us (an item's URL, a Page's HTML, a File's metadata) and
 *   returns the recordings it names, as media references. It is pure and cheap: no I/O.
 * - `fetch` turns one reference into cues.
 * Each provider owns its URL rules; `providers.registry.ts` is the one list of providers.
 * Providers throw `AppError`s whose `transient` flag tells the job runner whether a retry helps.
 */

import type { HTMLElement } from 'node-html-parser';

/** Providers that can fetch words for a recording or a reading. */
export const PROVIDER_NAMES = ['panopto', 'zoom', 'canvas_media', 'youtube', 'reading'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const isProviderName = (name: string): name is ProviderName =>
  (PROVIDER_NAMES as readonly string[]).includes(name);

/** What an item's `provider` and a media source's `provider` may be: a fetcher, or a user's upload. */
export const SOURCE_PROVIDERS = [...PROVIDER_NAMES, 'upload'] as const;
export type SourceProvider = (typeof SOURCE_PROVIDERS)[number];

/** Where a media source was found. */
export const FOUND_IN = ['item_url', 'page_body', 'file', 'upload'] as const;
export type FoundIn = (typeof FOUND_IN)[number];

export interface MediaRef {
  provider: ProviderName;
  /**
   * The provider's own, stable reference: Panopto delivery id, Canvas attachment or media id,
   * YouTube video id, Zoom share URL (without its query), Canvas file id or page slug. Two refs
   * with the same provider and `ref` are the same recording.
   */
  ref: string;
  /** Where a person opens the recording, or null when it has no page of its own. */
  url: string | null;
  foundIn: FoundIn;
  /**
   * Extras the fetch needs and Canvas told us (the Panopto host, a Zoom passcode written beside
   * the link, a Canvas media id). Strings only, so they store as JSON as they are.
   */
  details: Readonly<Record<string, string>>;
  /** A caption for this recording (an iframe's title, a link's text, a file's name). */
  title?: string | null;
}

/** A Canvas File's metadata, as `detect` sees it (reference §A5 Files). */
export interface DetectFile {
  id: number;
  displayName: string;
  contentType: string | null;
  size: number | null;
  /** Set by Canvas for audio and video files (`m-…`). */
  mediaEntryId: string | null;
}

/** A link or embed in page HTML, resolved and unwrapped (see `page-html.ts`). */
export interface PageLink {
  url: URL;
  element: HTMLElement;
}

/** A Page's HTML, parsed once and shared by every provider's `detect`. */
export interface PageDocument {
  root: HTMLElement;
  /** `iframe[src]`, `embed[src]`, `video[src]`, `source[src]`, `a[href]`, in document order. */
  links: readonly PageLink[];
}

export type DetectInput =
  | { kind: 'url'; url: string; title?: string | null }
  | { kind: 'page'; page: PageDocument }
  | { kind: 'file'; file: DetectFile };

export interface TranscriptCue {
  startMs: number;
  endMs: number;
  text: string;
  speaker?: string;
}

export interface Chapter {
  startMs: number;
  title: string;
}

/** What a provider fetched for one reference. */
export interface FetchedTranscript {
  /** Cleaned cues in time order. For untimed text (readings) one per paragraph, times 0. */
  cues: TranscriptCue[];
  /** False for readings and captions without times: no `[hh:mm:ss]` markers are rendered. */
  timed: boolean;
  /** Chapter marks the source provides (Panopto's table of contents), in time order. */
  chapters?: Chapter[];
  /** The caption track's language (BCP 47, e.g. `en-US`), when the source says. */
  language?: string | null;
}

/** A paragraph of a readable transcript; `startMs` is null for text without times. */
export interface TranscriptParagraph {
  startMs: number | null;
  text: string;
}

/** The normaliser's output: cleaned cues, their paragraphs, and the text with `[hh:mm:ss]` markers. */
export interface Transcript {
  cues: TranscriptCue[];
  paragraphs: TranscriptParagraph[];
  text: string;
}

export interface FetchContext {
  signal?: AbortSignal;
  /** The Canvas course of the item the reference belongs to. */
  courseId: number;
}

export interface TranscriptProvider {
  readonly name: ProviderName;
  detect(input: DetectInput): MediaRef[];
  /**
   * Why an input that points at this host still names no recording (Panopto's course-wide LTI
   * link, the same for every session), as the code and sentence the item shows; null otherwise.
   */
  explainUnusable?(input: DetectInput): { code: string; message: string } | null;
  fetch(ref: MediaRef, context: FetchContext): Promise<FetchedTranscript>;
  /**
   * A link that opens the recording `seconds` in, for the times in its notes; absent (or null)
   * when the host has no such link.
   */
  linkAt?(source: { ref: string; url: string | null }, seconds: number): string | null;
}

export function defineTranscriptProvider<T extends TranscriptProvider>(provider: T): T {
  return provider;
}
