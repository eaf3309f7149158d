/**
 * A provider that serves caption text from memory. It backs the demo account and tests, and it
 * goes through the same parser and normaliser as the real providers so both exercise real code.
 */

import type { AppError } from '../../shared/errors.ts';
import { sleep } from '../../shared/sleep.ts';
import { parseCaptions } from '../captions.parser.ts';
import { cuesToTranscript } from '../transcript.normalizer.ts';
import type { MediaRef, TranscriptProvider } from '../transcript-provider.ts';
import { defineTranscriptProvider, transcriptErrors } from '../transcript-provider.ts';

/** SRT or WebVTT text per recording URL, or a lookup function; `undefined` means "no such recording". */
export type FakeTranscriptSource = Readonly<Record<string, string>> | ((url: string) => string | undefined);

export interface FakeProviderOptions {
  /** Fail every call (an error) or chosen calls (a function returning an error or `undefined`). */
  failWith?: AppError | ((ref: MediaRef) => AppError | undefined);
  /** Simulated latency; the wait ends early with an abort when the caller's signal aborts. */
  delayMs?: number;
}

/** A `fake` provider over in-memory caption tracks. */
export function createFakeProvider(
  source: FakeTranscriptSource,
  options: FakeProviderOptions = {},
): TranscriptProvider {
  const lookup =
    typeof source === 'function'
      ? source
      : (url: string) => (Object.hasOwn(source, url) ? source[url] : undefined);

  return defineTranscriptProvider({
    name: 'fake',
    async fetchTranscript(ref, { signal }) {
      signal?.throwIfAborted();
      if (options.delayMs) {
        // node:timers rejects with its own AbortError; callers get back the reason they aborted with.
        await sleep(options.delayMs, signal).catch((error: unknown) => {
          throw signal?.aborted ? signal.reason : error;
        });
      }
      const failure = typeof options.failWith === 'function' ? options.failWith(ref) : options.failWith;
      if (failure) throw failure;
      const captions = lookup(ref.url);
      if (captions === undefined)
        throw transcriptErrors.notFound({ message: `No demo recording at ${ref.url}.` });
      const cues = parseCaptions(captions);
      if (cues.length === 0) throw transcriptErrors.unparseable();
      return cuesToTranscript(cues);
    },
  });
}
