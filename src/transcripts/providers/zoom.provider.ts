/**
 * Zoom cloud recordings, by two routes (reference §C and §I):
 * 1. With a Server-to-Server OAuth app (ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET):
 *    the recordings API of that app's own account, the only supported way. It cannot read other
 *    accounts' recordings, which is what most course links are.
 * 2. With ZOOM_SHARE_LINKS=true: the share link's web player, unofficial and opt-in; it is also
 *    tried for a link the account's recordings do not hold.
 * Without either, every Zoom link fails with `zoom.credentials_required`, saying what to set.
 */

import { isAppError } from '../../shared/errors.ts';
import { createProviderHttp } from '../provider-http.ts';
import { defineTranscriptProvider, type TranscriptProvider } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { createZoomCloudRecordings } from './zoom.cloud-recordings.ts';
import { detectZoomRecordings } from './zoom.detect.ts';
import { zoomErrors } from './zoom.errors.ts';
import { ZOOM_LABEL } from './zoom.http.ts';
import { parseZoomRecordingLink } from './zoom.links.ts';
import { createZoomTokenSource } from './zoom.oauth.ts';
import { createZoomWebPlayer } from './zoom.share-link.ts';

export interface ZoomProviderOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** One exchange with Zoom, redirects and body included; default 30 s. */
  timeoutMs?: number;
  /** Largest body accepted; default 20 MB. */
  maxBytes?: number;
  /** ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET: a Server-to-Server OAuth app; all three or none. */
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** ZOOM_SHARE_LINKS=true: read share links through Zoom's unofficial web-player endpoints. */
  shareLinks?: boolean;
  /** The clock for token expiry, the recordings cache and the search window; default `Date.now`. */
  now?: () => number;
  /** How many months of the account's recordings to search for a link, newest first; default 6. */
  searchMonths?: number;
}

const DEFAULT_SEARCH_MONTHS = 6;

export function createZoomProvider(options: ZoomProviderOptions = {}): TranscriptProvider {
  const http = createProviderHttp({
    label: ZOOM_LABEL,
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    maxBytes: options.maxBytes,
  });
  const now = options.now ?? Date.now;
  const { accountId, clientId, clientSecret } = options;
  const cloud =
    accountId && clientId && clientSecret
      ? createZoomCloudRecordings({
          http,
          tokens: createZoomTokenSource({ http, credentials: { accountId, clientId, clientSecret }, now }),
          now,
          searchMonths: options.searchMonths ?? DEFAULT_SEARCH_MONTHS,
        })
      : null;
  const player = options.shareLinks ? createZoomWebPlayer({ http }) : null;

  return defineTranscriptProvider({
    name: 'zoom',
    detect: detectZoomRecordings,
    async fetch(ref, { signal }) {
      signal?.throwIfAborted();
      const link = parseZoomRecordingLink(ref.url ?? ref.ref) ?? parseZoomRecordingLink(ref.ref);
      if (!link) {
        throw transcriptErrors.requestRejected({ message: 'This is not a Zoom cloud-recording link.' });
      }
      if (cloud) {
        try {
          return await cloud.fetch(link.ref, signal);
        } catch (error) {
          const elsewhere = isAppError(error) && error.code === zoomErrors.recordingNotFound.code;
          if (!player || !elsewhere) throw error;
        }
      }
      if (player) return player.fetch(link, ref.details.passcode ?? link.passcode, signal);
      throw zoomErrors.credentialsRequired();
    },
  });
}
