/**
 * Zoom cloud recordings. A share or play link (`/rec/share/<token>`, `/rec/play/<token>`) is an
 * opaque token: no documented endpoint turns it into a meeting or its transcript. The only
 * supported route is the recordings API of the host's Zoom account (reference §C), which needs
 * account-level credentials canvas-notes does not have, so this provider says so instead of
 * scraping the share page.
 */

import type { TranscriptProvider } from '../transcript-provider.ts';
import { defineTranscriptProvider, transcriptErrors } from '../transcript-provider.ts';

/** A provider that recognises Zoom links and fails them permanently, with the reason. */
export function createZoomProvider(): TranscriptProvider {
  return defineTranscriptProvider({
    name: 'zoom',
    async fetchTranscript(_ref, { signal }) {
      signal?.throwIfAborted();
      throw transcriptErrors.providerUnsupported({
        message:
          'Zoom share links cannot be turned into a transcript without API access to the Zoom account ' +
          'that owns the recording, which canvas-notes does not have yet. Download the transcript (VTT) ' +
          'from Zoom instead.',
      });
    },
  });
}
