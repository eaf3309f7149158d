/**
 * A fetch from memory. It backs the demo account and tests: it answers chosen refs with caption
 * text of its own, through the same parser as the real providers, while detection stays the
 * real provider's (see `createTranscriptProviders`).
 */

import type { AppError } from '../../shared/errors.ts';
import { sleep } from '../../shared/sleep.ts';
import { parseCaptions } from '../captions.parser.ts';
import type { FetchedTranscript, MediaRef, TranscriptProvider } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';

/** SRT or WebVTT text per ref (the provider's `ref` string), or a lookup; `undefined`: no such recording. */
export type FakeTranscriptSource = Readonly<Record<string, string>> | ((ref: MediaRef) => string | undefined);

export interface FakeFetchOptions {
  /** Fail every call (an error) or chosen calls (a function returning an error or `undefined`). */
  failWith?: AppError | ((ref: MediaRef) => AppError | undefined);
  /** Simulated latency; the wait ends early with an abort when the caller's signal aborts. */
  delayMs?: number;
}

export type FakeFetch = Pick<TranscriptProvider, 'fetch'>;

export function createFakeFetch(source: FakeTranscriptSource, options: FakeFetchOptions = {}): FakeFetch {
  const lookup =
    typeof source === 'function'
      ? source
      : (ref: MediaRef) => (Object.hasOwn(source, ref.ref) ? source[ref.ref] : undefined);

  return {
    async fetch(ref, { signal }): Promise<FetchedTranscript> {
      signal?.throwIfAborted();
      if (options.delayMs) {
        // node:timers rejects with its own AbortError; callers get back the reason they aborted with.
        await sleep(options.delayMs, signal).catch((error: unknown) => {
          throw signal?.aborted ? signal.reason : error;
        });
      }
      const failure = typeof options.failWith === 'function' ? options.failWith(ref) : options.failWith;
      if (failure) throw failure;
      const captions = lookup(ref);
      if (captions === undefined)
        throw transcriptErrors.notFound({ message: `No demo recording ${ref.ref}.` });
      const cues = parseCaptions(captions);
      if (cues.length === 0) throw transcriptErrors.unparseable();
      return { cues, timed: true };
    },
  };
}
