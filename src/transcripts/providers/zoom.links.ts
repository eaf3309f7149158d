/**
 * Zoom cloud-recording links (reference §A6): `https://<sub>.zoom.us/rec/share/<token>` (a
 * meeting's recordings) and `/rec/play/<token>` (one file), on zoom.us or zoomgov.com, often with
 * `?pwd=<passcode>` or `startTime=`. The tokens are opaque. Meeting join links (`/j/<id>`) are
 * not recordings. The path pattern follows yt-dlp's `ZoomIE._VALID_URL`.
 */

import { parseWebUrl, queryParam } from '../page-html.ts';

export type ZoomLinkKind = 'share' | 'play';

export interface ZoomRecordingLink {
  /** The link without its query or hash: the recording's stable reference. */
  ref: string;
  /** `https://<sub>.zoom.us`: the host that serves this recording's web player. */
  origin: string;
  kind: ZoomLinkKind;
  token: string;
  /** The link as found, minus `pwd`, so the passcode is not shown where the link is. */
  url: string;
  /** From `?pwd=`. */
  passcode?: string;
}

/** Zoom's domains, as `hostIn` patterns. */
export const ZOOM_HOST_PATTERNS = ['.zoom.us', '.zoomgov.com'] as const;

const ZOOM_HOST = /^(?:[a-z0-9-]+\.)*(?:zoom\.us|zoomgov\.com)$/i;
const RECORDING_PATH = /^\/rec(?:ording)?\/(share|play)\/([\w.-]+)\/?$/;

export function parseZoomRecordingLink(raw: string | URL): ZoomRecordingLink | null {
  const parsed = typeof raw === 'string' ? parseWebUrl(raw.trim()) : raw;
  if (!parsed || !ZOOM_HOST.test(parsed.hostname)) return null;
  // Zoom serves only https; an http link must not carry a passcode or cookies in the clear.
  const url = new URL(parsed);
  url.protocol = 'https:';
  const match = RECORDING_PATH.exec(url.pathname);
  const kind = match?.[1] as ZoomLinkKind | undefined;
  const token = match?.[2];
  if (!kind || !token) return null;
  const passcode = queryParam(url, 'pwd')?.trim();
  const shown = new URL(url);
  for (const key of [...shown.searchParams.keys()]) {
    if (key.toLowerCase() === 'pwd') shown.searchParams.delete(key);
  }
  return {
    ref: `${url.origin}/rec/${kind}/${token}`,
    origin: url.origin,
    kind,
    token,
    url: shown.href,
    ...(passcode ? { passcode } : {}),
  };
}

/**
 * What identifies a recording across hosts: Zoom's API may report `us02web.zoom.us` for a link a
 * teacher posted from the school's vanity host, with the same token. Null for other URLs.
 */
export function recordingKey(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const link = parseZoomRecordingLink(raw);
  return link ? `${link.kind}/${link.token}` : null;
}

// "Passcode: 8#xY2!", "Access passcode: …", "Password is …", "Kenncode: …" (Zoom's German UI),
// "Passcode for both: …", "Password (case sensitive): …".
const PASSCODE_LABEL =
  /(?:access\s+)?(?:pass\s?code|password|passwort|kenncode|pwd)(?:\s+for\s+[^:：]{1,25}?|\s*\([^)]{1,30}\))?(?:\s*[:：]\s*|\s+is\s+)(\S+)/giu;
const OPENERS = '"\'“‘«`([{<';
const CLOSERS = '"\'”’»`)]}>';

/** Every passcode written in `text`, with where its label starts, in order. */
export function passcodesIn(text: string): { passcode: string; index: number }[] {
  const found: { passcode: string; index: number }[] = [];
  for (const match of text.matchAll(PASSCODE_LABEL)) {
    const passcode = cleanPasscode(match[1] ?? '');
    if (passcode) found.push({ passcode, index: match.index });
  }
  return found;
}

/**
 * Passcodes may hold any punctuation ("8#xY2!"), but the sentence around them adds some: a
 * closing period or comma, quotes or brackets around the code.
 */
function cleanPasscode(raw: string): string {
  let code = raw.replace(/[.,;]$/u, '');
  const first = code.at(0);
  if (first && OPENERS.includes(first)) {
    code = code.slice(1);
    const last = code.at(-1);
    if (last && CLOSERS.includes(last)) code = code.slice(0, -1);
  } else {
    const last = code.at(-1);
    const opener = last ? OPENERS[CLOSERS.indexOf(last)] : undefined;
    // "(Passcode: abc)": a closing bracket the code never opened belongs to the sentence.
    if (opener && last && !code.includes(opener) && !'"\'`'.includes(last)) code = code.slice(0, -1);
  }
  return code.replace(/[.,;]$/u, '');
}
