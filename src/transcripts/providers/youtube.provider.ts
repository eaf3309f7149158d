/**
 * YouTube captions, best effort (reference §D and §I "YouTube, 2026"). The watch page's own
 * caption URLs now answer empty without a proof-of-origin token, so this goes through
 * youtube-transcript-plus, which reads the Innertube API key from the watch page, asks
 * `/youtubei/v1/player` as the Android client for the caption tracks, and downloads one track as
 * timedtext XML (seconds). Its three requests run through provider-http, which holds them to
 * YouTube's hosts, bounds their bodies and honours the caller's abort; one deadline covers all
 * three. What the library cannot tell apart (throttling from a missing video, a bot check from
 * missing captions) is read here, from the answers, before the library sees them.
 */

import { YoutubeTranscript } from 'youtube-transcript-plus';
import type { AppError } from '../../shared/errors.ts';
import { isAppError } from '../../shared/errors.ts';
import { parseCaptions } from '../captions.parser.ts';
import type { ProviderHttp, ProviderResponse } from '../provider-http.ts';
import {
  createProviderHttp,
  hostIn,
  parseJsonBody,
  rejectedStatusError,
  transientStatusError,
} from '../provider-http.ts';
import type { FetchedTranscript, TranscriptProvider } from '../transcript-provider.ts';
import { defineTranscriptProvider } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { detectVideos, VIDEO_ID, youtubeLinkAt } from './youtube.detect.ts';
import { youtubeErrors } from './youtube.errors.ts';

/**
 * youtube-transcript-plus 2.0.1's declarations re-export from extensionless relative paths, which
 * NodeNext does not resolve: only `YoutubeTranscript` itself is typed. These are the parts of its
 * `dist/types.d.ts` we use, and its error classes are told apart by the `name` each constructor
 * sets (`dist/errors.d.ts`).
 */
interface FetchParams {
  url: string;
  userAgent?: string;
  method?: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

/** `offset` and `duration` in seconds, straight from timedtext's `start` and `dur`. */
interface TranscriptSegment {
  text: string;
  offset: number;
  duration: number;
  lang: string;
}

const NO_CAPTIONS_ERRORS = new Set([
  'YoutubeTranscriptDisabledError',
  'YoutubeTranscriptNotAvailableError',
  'YoutubeTranscriptNotAvailableLanguageError',
  'YoutubeTranscriptVideoUnavailableError',
]);

export interface YouTubeProviderOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** One deadline for the watch page, the player call and the caption download. Default 30 s. */
  timeoutMs?: number;
  /** Largest body accepted; default 20 MB (a watch page is about 1 MB). */
  maxBytes?: number;
  /** Preferred caption languages (BCP 47), best first. */
  languages?: readonly string[];
}

const LABEL = 'YouTube';
const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * The library only addresses www.youtube.com: `/watch`, `/youtubei/v1/player`, and the caption
 * track's `baseUrl`, which the player answers as `https://www.youtube.com/api/timedtext?…`.
 * youtube.com and m.youtube.com are YouTube's aliases of the same paths, between which it
 * redirects. Nothing else is needed (not youtubei.googleapis.com, which this route never calls).
 */
const YOUTUBE_HOSTS = hostIn(['www.youtube.com', 'youtube.com', 'm.youtube.com']);
// "Accept all" consent, as yt-dlp sets it (`_initialize_consent`), so European servers get the
// watch page instead of consent.youtube.com. It identifies no one.
const CONSENT_COOKIE = 'SOCS=CAI';
const CONSENT_FORM = 'action="https://consent.youtube.com/s"';
const BOT_CHECK = /not a bot/i;

export function createYouTubeProvider(options: YouTubeProviderOptions = {}): TranscriptProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const languages = options.languages ?? [];
  const http = createProviderHttp({
    label: LABEL,
    fetch: options.fetch,
    timeoutMs,
    maxBytes: options.maxBytes,
  });

  return defineTranscriptProvider({
    name: 'youtube',
    detect: detectVideos,
    linkAt: youtubeLinkAt,
    async fetch(ref, context) {
      context.signal?.throwIfAborted();
      if (!VIDEO_ID.test(ref.ref)) throw notAVideoId();
      const deadline = AbortSignal.timeout(timeoutMs);
      const signal = context.signal ? AbortSignal.any([context.signal, deadline]) : deadline;
      const routes = libraryRoutes(http, signal, languages);
      try {
        const segments: TranscriptSegment[] = await YoutubeTranscript.fetchTranscript(ref.ref, {
          ...routes,
          signal,
          retries: 0,
        });
        return toTranscript(segments);
      } catch (error) {
        if (context.signal?.aborted) throw context.signal.reason;
        if (deadline.aborted) {
          throw transcriptErrors.providerUnavailable({
            message: `${LABEL} did not answer within ${timeoutMs} ms.`,
          });
        }
        throw fromLibraryError(error);
      }
    },
  });
}

/** The library's three fetch hooks, each through provider-http and checked before it reads them. */
function libraryRoutes(http: ProviderHttp, signal: AbortSignal, languages: readonly string[]) {
  const send = async (params: FetchParams): Promise<ProviderResponse> => {
    const response = await http({
      url: params.url,
      method: params.method ?? 'GET',
      headers: {
        ...(params.userAgent ? { 'User-Agent': params.userAgent } : {}),
        ...params.headers,
        Cookie: CONSENT_COOKIE,
      },
      body: params.body,
      allowHost: YOUTUBE_HOSTS,
      signal,
      onRedirect: refuseInterstitial,
    });
    // The library reads every non-2xx answer as "video unavailable"; throttling and outages are not.
    const transient = transientStatusError(response, LABEL);
    if (transient) throw transient;
    return response;
  };
  return {
    async videoFetch(params: FetchParams): Promise<Response> {
      const response = await send(params);
      if (response.text.includes(CONSENT_FORM)) throw consentRequired();
      return asFetchResponse(response.status, response.text);
    },
    async playerFetch(params: FetchParams): Promise<Response> {
      const response = await send(params);
      // A 4xx here is our request (an outdated key or client), not the video.
      if (response.status > 299) throw rejectedStatusError(response, LABEL);
      const player = checkPlayer(parseJsonBody(response, LABEL), languages);
      return asFetchResponse(response.status, JSON.stringify(player));
    },
    async transcriptFetch(params: FetchParams): Promise<Response> {
      const response = await send(params);
      return asFetchResponse(response.status, response.text);
    },
  };
}

interface CaptionTrack {
  languageCode?: unknown;
  kind?: unknown;
}

interface PlayerResponse {
  playabilityStatus?: { status?: unknown; reason?: unknown };
  captions?: { playerCaptionsTracklistRenderer?: { captionTracks?: unknown } };
}

/**
 * Throws on a bot check, which the library reports as "no transcript". `LOGIN_REQUIRED` also
 * means age-restricted or private (permanent), so only the reason's words tell them apart
 * (jdepoix/youtube-transcript-api matches them the same way). Then orders the tracks so that the library, which takes
 * the first one, takes ours.
 */
function checkPlayer(body: unknown, languages: readonly string[]): unknown {
  const player = (body ?? {}) as PlayerResponse;
  const status = player.playabilityStatus;
  if (
    status?.status === 'LOGIN_REQUIRED' &&
    typeof status.reason === 'string' &&
    BOT_CHECK.test(status.reason)
  ) {
    throw transcriptErrors.providerUnavailable({
      message: `${LABEL} asked canvas-notes to prove it is not a bot; try again later.`,
    });
  }
  const renderer = player.captions?.playerCaptionsTracklistRenderer;
  if (renderer && Array.isArray(renderer.captionTracks)) {
    renderer.captionTracks = rankTracks(renderer.captionTracks as CaptionTrack[], languages);
  }
  return player;
}

/**
 * The preferred languages first (a manual track in another language is usually a translation,
 * the automatic one in the lecture's language its own words), then manual before automatic
 * (`kind: 'asr'`), then YouTube's order.
 */
export function rankTracks<T extends CaptionTrack>(tracks: readonly T[], languages: readonly string[]): T[] {
  const languageRank = (track: T) => {
    const code = typeof track.languageCode === 'string' ? track.languageCode.toLowerCase() : '';
    const rank = languages.findIndex((wanted) => sameLanguage(wanted.toLowerCase(), code));
    return rank === -1 ? languages.length : rank;
  };
  const automatic = (track: T) => (track.kind === 'asr' ? 1 : 0);
  return tracks
    .map((track, index) => ({ track, index }))
    .sort(
      (a, b) =>
        languageRank(a.track) - languageRank(b.track) ||
        automatic(a.track) - automatic(b.track) ||
        a.index - b.index,
    )
    .map(({ track }) => track);
}

function sameLanguage(wanted: string, code: string): boolean {
  return wanted === code || code.startsWith(`${wanted}-`) || wanted.startsWith(`${code}-`);
}

function refuseInterstitial(to: URL): void {
  if (/(?:^|\.)google\.[a-z.]+$/i.test(to.hostname) && to.pathname.startsWith('/sorry')) throw rateLimited();
  if (to.hostname.toLowerCase() === 'consent.youtube.com') throw consentRequired();
}

/** The segments' times are seconds (timedtext `start`/`dur`); the text keeps YouTube's markup. */
function toTranscript(segments: readonly TranscriptSegment[]): FetchedTranscript {
  const cues = parseCaptions(toWebVtt(segments));
  if (cues.length === 0) throw youtubeErrors.noCaptions();
  return { cues, timed: true, language: segments[0]?.lang || null };
}

/**
 * As WebVTT, so the shared parser does the cleaning: the library decodes only one level of
 * entities (timedtext escapes twice: `&amp;#39;`) and leaves `<font>` tags and rolling ASR repeats.
 */
function toWebVtt(segments: readonly TranscriptSegment[]): string {
  const blocks = segments.flatMap(({ offset, duration, text }) => {
    const line = text.replace(/\s+/g, ' ').trim();
    if (line === '' || !Number.isFinite(offset)) return [];
    const startMs = Math.round(offset * 1000);
    const endMs = Math.round((offset + (Number.isFinite(duration) ? duration : 0)) * 1000);
    return [`${vttTime(startMs)} --> ${vttTime(endMs)}\n${line}`];
  });
  return `WEBVTT\n\n${blocks.join('\n\n')}\n`;
}

function vttTime(ms: number): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const seconds = Math.floor(ms / 1000);
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}.${pad(ms % 1000, 3)}`;
}

function asFetchResponse(status: number, text: string): Response {
  return new Response([101, 204, 205, 304].includes(status) ? null : text, { status });
}

/** The library's errors by class; an `AppError` thrown by a hook above passes through unchanged. */
function fromLibraryError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  if (name === 'YoutubeTranscriptTooManyRequestError') return rateLimited(error);
  if (name === 'YoutubeTranscriptInvalidVideoIdError') return notAVideoId(error);
  if (NO_CAPTIONS_ERRORS.has(name)) return youtubeErrors.noCaptions({ cause: error });
  return transcriptErrors.requestRejected({
    message: `${LABEL} answered in a way canvas-notes cannot read.`,
    cause: error,
  });
}

function rateLimited(cause?: unknown) {
  return transcriptErrors.providerUnavailable({
    message: `${LABEL} is limiting requests from this server (it asked for a captcha); try again later.`,
    cause,
  });
}

function notAVideoId(cause?: unknown) {
  return transcriptErrors.notFound({
    message: 'This is not a YouTube video id; check the link to the video.',
    cause,
  });
}

function consentRequired() {
  return transcriptErrors.requestRejected({
    message: `${LABEL} answered with its cookie-consent page instead of the video; upload the captions with PUT /items/{id}/transcript.`,
  });
}
