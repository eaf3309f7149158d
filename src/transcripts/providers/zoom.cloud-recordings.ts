/**
 * The supported route (reference §C): with a Server-to-Server OAuth app of the account that owns
 * the recording, find the link's meeting among the account's cloud recordings and download its
 * TRANSCRIPT file (the audio transcript), else its CC file, both WebVTT.
 */

import type { ProviderHttp, ProviderRequest, ProviderResponse } from '../provider-http.ts';
import { rejectedStatusError, transientStatusError } from '../provider-http.ts';
import type { FetchedTranscript } from '../transcript-provider.ts';
import { zoomErrors } from './zoom.errors.ts';
import { captionsToTranscript, isZoomHost, parseZoomJson, ZOOM_LABEL } from './zoom.http.ts';
import type { ZoomTokenSource } from './zoom.oauth.ts';
import { createRecordingsIndex, type DateWindow } from './zoom.recordings-index.ts';
import {
  apiErrorSchema,
  recordingsPageSchema,
  type ZoomMeeting,
  type ZoomRecordingFile,
} from './zoom.schemas.ts';

export const ZOOM_API_BASE = 'https://api.zoom.us/v2';
const PAGE_SIZE = 300;
// 300 meetings a page: far beyond any one month of one account, and a stop for a token loop.
const MAX_PAGES_PER_WINDOW = 50;
const NO_RECORDING = 3301;
const MISSING_SCOPES = 4711;

export interface ZoomCloudRecordings {
  fetch(ref: string, signal?: AbortSignal): Promise<FetchedTranscript>;
}

export function createZoomCloudRecordings(options: {
  http: ProviderHttp;
  tokens: ZoomTokenSource;
  now: () => number;
  searchMonths: number;
}): ZoomCloudRecordings {
  const { http, tokens } = options;

  /** A Bearer request to Zoom hosts; a refused token is replaced once (revoked, expired early). */
  const authorized = async (
    request: Omit<ProviderRequest, 'allowHost' | 'credentials'>,
  ): Promise<ProviderResponse> => {
    for (let attempt = 0; ; attempt++) {
      const token = await tokens.get(request.signal);
      const response = await http({
        ...request,
        allowHost: isZoomHost,
        credentials: (url) => (isZoomHost(url) ? { authorization: `Bearer ${token}` } : undefined),
      });
      if (response.status !== 401) return response;
      tokens.invalidate(token);
      if (attempt > 0) throw zoomErrors.credentialsRejected();
    }
  };

  const listWindow = async (window: DateWindow): Promise<ZoomMeeting[]> => {
    const meetings: ZoomMeeting[] = [];
    let pageToken = '';
    for (let page = 0; page < MAX_PAGES_PER_WINDOW; page++) {
      const url = new URL(`${ZOOM_API_BASE}/users/me/recordings`);
      url.search = new URLSearchParams({
        from: window.from,
        to: window.to,
        page_size: String(PAGE_SIZE),
        next_page_token: pageToken,
      }).toString();
      const response = await authorized({ url, headers: { accept: 'application/json' } });
      if (response.status !== 200) throw listingError(response);
      const body = parseZoomJson(response, recordingsPageSchema);
      meetings.push(...body.meetings);
      if (!body.next_page_token || body.next_page_token === pageToken) break;
      pageToken = body.next_page_token;
    }
    return meetings;
  };

  const index = createRecordingsIndex({
    list: listWindow,
    now: options.now,
    searchMonths: options.searchMonths,
  });

  return {
    async fetch(ref, signal) {
      const meeting = await index.find(ref, signal);
      if (!meeting) throw zoomErrors.recordingNotFound();
      const file = transcriptFile(meeting.recording_files);
      const response = await authorized({ url: file, headers: { accept: 'text/vtt, */*' }, signal });
      if (response.status === 404) throw zoomErrors.recordingNotFound();
      if (response.status !== 200) throw rejectedStatusError(response, ZOOM_LABEL);
      return captionsToTranscript(response.text);
    },
  };
}

/** The audio transcript if Zoom made one, else the closed captions. */
function transcriptFile(files: readonly ZoomRecordingFile[]): string {
  const ready = (type: string) =>
    files.find(
      (file) => file.file_type === type && file.download_url && (file.status ?? 'completed') === 'completed',
    );
  const chosen = ready('TRANSCRIPT') ?? ready('CC');
  if (chosen?.download_url) return chosen.download_url;
  const processing = files.some(
    (file) => (file.file_type === 'TRANSCRIPT' || file.file_type === 'CC') && file.status === 'processing',
  );
  throw processing ? zoomErrors.transcriptProcessing() : zoomErrors.noTranscript();
}

function listingError(response: ProviderResponse) {
  const transient = transientStatusError(response, ZOOM_LABEL);
  if (transient) return transient;
  const { code } = apiErrorSchema.parse(safeJson(response.text));
  if (code === NO_RECORDING || response.status === 404) return zoomErrors.recordingNotFound();
  if (code === MISSING_SCOPES || response.status === 403) {
    return zoomErrors.credentialsRejected({
      message:
        'The Zoom app may not list cloud recordings: add the cloud_recording:read:list_user_recordings ' +
        'scope (recording:read on older apps) to the Server-to-Server OAuth app in the Zoom App Marketplace.',
    });
  }
  return rejectedStatusError(response, ZOOM_LABEL);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
