/**
 * Panopto captions (reference §B2). Panopto's REST API cannot download captions, so this uses the
 * web viewer's own handlers, as yt-dlp's Panopto extractor does: `DeliveryInfo.aspx` lists the
 * session's caption languages and chapters, then serves each track as JSON; `GenerateSRT.ashx`
 * is the fallback when that route is missing or broken. Both are undocumented and answer
 * anonymously for public sessions; restricted ones need the user's `.ASPXAUTH` browser cookie
 * (PANOPTO_COOKIE), which goes only to the session's Panopto host (or PANOPTO_BASE_URL).
 */

import { detectCaptionFormat, parseCaptions } from '../captions.parser.ts';
import type { ProviderHttp, ProviderResponse } from '../provider-http.ts';
import { createProviderHttp, rejectedStatusError, transientStatusError } from '../provider-http.ts';
import type {
  Chapter,
  FetchedTranscript,
  MediaRef,
  TranscriptCue,
  TranscriptProvider,
} from '../transcript-provider.ts';
import { defineTranscriptProvider } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import type { DeliveryAnswer, DeliverySummary } from './panopto.delivery.ts';
import { captionLinesToSrt, languageTag, orderLanguages, readDeliveryAnswer } from './panopto.delivery.ts';
import { COOKIE_REJECTED_MESSAGE, panoptoErrors } from './panopto.errors.ts';
import { detectPanoptoSessions, explainPanoptoInput, isDeliveryId, panoptoLinkAt } from './panopto.links.ts';

export interface PanoptoProviderOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** PANOPTO_BASE_URL: an origin that replaces the link's own (a proxy, tests); its path is ignored. */
  baseUrl?: string;
  /** PANOPTO_COOKIE: the `.ASPXAUTH` cookie's value, bare or as `.ASPXAUTH=<value>`. */
  cookie?: string;
  /** One request, redirects and body included; default 30 s. */
  timeoutMs?: number;
  /** Largest body accepted; default 20 MB. */
  maxBytes?: number;
  /** Preferred caption languages (BCP 47: `en-US`, `de`), best first; default Panopto's own order. */
  languages?: readonly string[];
}

const LABEL = 'Panopto';
const DELIVERY_INFO_PATH = '/Panopto/Pages/Viewer/DeliveryInfo.aspx';
const GENERATE_SRT_PATH = '/Panopto/Pages/Transcription/GenerateSRT.ashx';
// Panopto sends anonymous callers to /Panopto/Pages/Auth/Login.aspx; SSO set-ups use similar paths.
const LOGIN_PATH = /login|sign-?in|\/auth\/|saml|\/sso\b|oauth/i;
const HTML_START = /^\s*<(?:!doctype|html)/i;
// A session lists a handful of languages; the cap bounds requests if an answer lists hundreds.
const MAX_TRACKS = 8;
// GenerateSRT's usual language when DeliveryInfo could not say which exist (reference §B2.1).
const BLIND_LANGUAGE = 0;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const PANOPTO_DOMAINS = /(?:^|\.)panopto\.(?:com|eu)$/i;

const isPanoptoDomain = (url: URL) => PANOPTO_DOMAINS.test(url.hostname);

interface Session {
  http: ProviderHttp;
  origin: URL;
  deliveryId: string;
  cookie: string | null;
  signal: AbortSignal | undefined;
}

export function createPanoptoProvider(options: PanoptoProviderOptions = {}): TranscriptProvider {
  const http = createProviderHttp({
    label: LABEL,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
  });
  const baseOrigin = options.baseUrl ? new URL(new URL(options.baseUrl).origin) : null;
  const cookie = normaliseCookie(options.cookie);
  const preferred = options.languages ?? [];

  return defineTranscriptProvider({
    name: 'panopto',
    detect: detectPanoptoSessions,
    explainUnusable: explainPanoptoInput,
    linkAt: panoptoLinkAt,
    async fetch(ref, { signal }) {
      signal?.throwIfAborted();
      if (!isDeliveryId(ref.ref)) throw panoptoErrors.noSessionId();
      const origin = baseOrigin ?? courseOrigin(ref);
      // The cookie unlocks the user's Panopto account: only PANOPTO_BASE_URL or Panopto's own
      // domains get it, never a host that a course page merely names (anyone editing a page could).
      const trusted = baseOrigin !== null || (origin.protocol === 'https:' && isPanoptoDomain(origin));
      return fetchCaptions(
        { http, origin, deliveryId: ref.ref.toLowerCase(), cookie: trusted ? cookie : null, signal },
        preferred,
      );
    },
  });
}

async function fetchCaptions(session: Session, preferred: readonly string[]): Promise<FetchedTranscript> {
  const delivery = await getDelivery(session);
  const chapters = delivery?.chapters ?? [];
  if (!delivery?.languages) return fromGenerateSrt(session, [BLIND_LANGUAGE], chapters, false);
  const broken: number[] = [];
  for (const code of orderLanguages(delivery.languages, preferred).slice(0, MAX_TRACKS)) {
    const lines = await getCaptionTrack(session, code);
    if (lines === null) {
      broken.push(code);
      continue;
    }
    // Skip empty tracks: a "Default" track may sit beside an empty en-US one (reference §B2.3).
    const cues = parseCaptions(captionLinesToSrt(lines, delivery.durationSeconds));
    if (cues.length > 0) return transcript(cues, chapters, languageTag(code));
  }
  if (broken.length === 0) throw panoptoErrors.noCaptions();
  return fromGenerateSrt(session, broken, chapters, true);
}

async function fromGenerateSrt(
  session: Session,
  languages: readonly number[],
  chapters: Chapter[],
  languagesKnown: boolean,
): Promise<FetchedTranscript> {
  let unparseable = false;
  for (const code of languages) {
    const text = await getSrt(session, code);
    if (text.trim() === '') continue;
    const cues = parseCaptions(text);
    if (cues.length > 0) return transcript(cues, chapters, languagesKnown ? languageTag(code) : null);
    // SRT whose cues are all blank is a track without captions; anything else is not SRT.
    if (detectCaptionFormat(text) === null) unparseable = true;
  }
  if (unparseable) throw transcriptErrors.unparseable({ message: 'Panopto sent captions that are not SRT.' });
  throw panoptoErrors.noCaptions();
}

/** The session's Delivery, or null when DeliveryInfo.aspx is missing or answers something else. */
async function getDelivery(session: Session): Promise<DeliverySummary | null> {
  const response = await request(session, DELIVERY_INFO_PATH, {
    // The query the viewer (and yt-dlp) sends.
    deliveryId: session.deliveryId,
    invocationId: '',
    isLiveNotes: 'false',
    refreshAuthCookie: 'true',
    isActiveBroadcast: 'false',
    isEditing: 'false',
    isKollectiveAgentInstalled: 'false',
    isEmbed: 'false',
    responseType: 'json',
  });
  if (!routeAnswered(session, response)) return null;
  const answer = readJsonAnswer(session, response);
  if (answer.kind === 'error') throw errorCodeError(session, answer);
  return answer.kind === 'delivery' ? answer.delivery : null;
}

/** One track's caption lines, or null when the route did not give a list (a broken track). */
async function getCaptionTrack(session: Session, language: number): Promise<readonly unknown[] | null> {
  const response = await request(session, DELIVERY_INFO_PATH, {
    deliveryId: session.deliveryId,
    getCaptions: 'true',
    language: String(language),
    responseType: 'json',
  });
  if (!routeAnswered(session, response)) return null;
  const answer = readJsonAnswer(session, response);
  // yt-dlp, too, skips a track that answers another error rather than failing the session.
  if (answer.kind === 'error' && answer.code === 2) throw loginRequired(session);
  return answer.kind === 'captions' ? answer.lines : null;
}

async function getSrt(session: Session, language: number): Promise<string> {
  const response = await request(session, GENERATE_SRT_PATH, {
    id: session.deliveryId,
    language: String(language),
  });
  if (response.status === 401 || response.status === 403) throw loginRequired(session);
  if (response.status === 404)
    throw transcriptErrors.notFound({ message: 'Panopto has no session with this id.' });
  if (response.status < 200 || response.status >= 300) throw rejectedStatusError(response, LABEL);
  if (HTML_START.test(stripBom(response.text))) throw loginRequired(session);
  return response.text;
}

function request(session: Session, path: string, query: Record<string, string>): Promise<ProviderResponse> {
  const url = new URL(path, session.origin);
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  const allowHost = (to: URL) =>
    to.host === session.origin.host && (to.protocol === session.origin.protocol || to.protocol === 'https:');
  const { cookie } = session;
  return session.http({
    url,
    headers: { accept: path === GENERATE_SRT_PATH ? 'text/plain, */*' : 'application/json' },
    allowHost,
    credentials: (to) => (cookie && allowHost(to) ? { cookie: `.ASPXAUTH=${cookie}` } : undefined),
    signal: session.signal,
    onRedirect: (to) => {
      if (LOGIN_PATH.test(to.pathname)) throw loginRequired(session);
    },
  });
}

/** Throws for a login or an outage; false for an answer that only says this route is unusable. */
function routeAnswered(session: Session, response: ProviderResponse): boolean {
  if (response.status === 401 || response.status === 403) throw loginRequired(session);
  const transient = transientStatusError(response, LABEL);
  if (transient) throw transient;
  return response.status >= 200 && response.status < 300;
}

function readJsonAnswer(session: Session, response: ProviderResponse): DeliveryAnswer {
  const text = stripBom(response.text);
  // Panopto renders its login page where a restricted session's JSON would be.
  if (HTML_START.test(text)) throw loginRequired(session);
  try {
    return readDeliveryAnswer(JSON.parse(text));
  } catch {
    return { kind: 'unknown' };
  }
}

function errorCodeError(session: Session, answer: { code: number; message: string | null }) {
  if (answer.code === 2) return loginRequired(session);
  const said = safeText(answer.message, session.cookie);
  return transcriptErrors.requestRejected({
    message: said
      ? `Panopto refused this session: ${said}${/[.!?]$/.test(said) ? '' : '.'}`
      : `Panopto refused this session (error code ${answer.code}).`,
  });
}

function loginRequired(session: Session) {
  return session.cookie
    ? panoptoErrors.loginRequired({ message: COOKIE_REJECTED_MESSAGE })
    : panoptoErrors.loginRequired();
}

function transcript(cues: TranscriptCue[], chapters: Chapter[], language: string | null): FetchedTranscript {
  return { cues, timed: true, language, ...(chapters.length > 0 ? { chapters } : {}) };
}

/**
 * The Panopto host the course named. A plain-http link is upgraded (Panopto serves https only),
 * so the cookie never crosses the network in clear; loopback hosts stay as they are for tests.
 */
function courseOrigin(ref: MediaRef): URL {
  const raw = ref.details.origin ?? ref.url;
  let origin: URL;
  try {
    origin = new URL(new URL(raw ?? '').origin);
  } catch {
    throw panoptoErrors.noSessionId({
      message: 'The Panopto host of this recording is unknown; sync the course again.',
    });
  }
  if (origin.protocol === 'http:' && !LOOPBACK.has(origin.hostname)) origin.protocol = 'https:';
  return origin;
}

function normaliseCookie(raw: string | undefined): string | null {
  const value = raw
    ?.trim()
    .replace(/^\.aspxauth=/i, '')
    .replace(/;$/, '')
    .trim();
  if (!value) return null;
  // Cookie octets only (RFC 6265): anything else would break, or smuggle into, the header.
  if (!/^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+$/.test(value)) {
    throw new Error(
      'PANOPTO_COOKIE must be the value of the .ASPXAUTH cookie only (no spaces, quotes or ";").',
    );
  }
  return value;
}

/** Panopto's own words, when short, plain and free of the cookie; null otherwise. */
function safeText(message: string | null, cookie: string | null): string | null {
  const text = message?.replace(/\s+/g, ' ').trim();
  if (!text || text.length > 200 || /[<>\p{Cc}]/u.test(text) || /https?:\/\//i.test(text)) return null;
  return cookie && text.includes(cookie) ? null : text;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
