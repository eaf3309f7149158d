/**
 * The one list of transcript providers. Config derives its provider enum from `PROVIDER_NAMES`,
 * and `satisfies` below makes a provider missing from this table a type error.
 */

import { createFakeProvider } from './providers/fake.provider.ts';
import { createPanoptoProvider } from './providers/panopto.provider.ts';
import { createZoomProvider } from './providers/zoom.provider.ts';
import type { ProviderName, TranscriptProvider } from './transcript-provider.ts';
import { defineTranscriptProvider } from './transcript-provider.ts';

export interface TranscriptProviderDeps {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** PANOPTO_BASE_URL: an origin that replaces the one in Panopto links. */
  panoptoBaseUrl?: string;
  /** Per-request timeout for providers that call out. */
  timeoutMs?: number;
  /** Caption tracks by recording URL for the demo account (`src/demo/demo-transcripts.ts`). */
  demoTranscripts?: Readonly<Record<string, string>>;
}

export type TranscriptProviderFactory = (deps: TranscriptProviderDeps) => TranscriptProvider;

export const transcriptProviderFactories = {
  panopto: (deps) =>
    createPanoptoProvider({ fetch: deps.fetch, baseUrl: deps.panoptoBaseUrl, timeoutMs: deps.timeoutMs }),
  zoom: () => createZoomProvider(),
  fake: (deps) => createFakeProvider(deps.demoTranscripts ?? {}),
} as const satisfies Record<ProviderName, TranscriptProviderFactory>;

/**
 * Builds every provider once and returns a lookup by name. The demo Canvas account links to
 * Panopto-style URLs so discovery runs its real path; those exact URLs are answered from
 * `demoTranscripts` and never reach the network. Every other URL goes to the real provider.
 */
export function createTranscriptProviders(
  deps: TranscriptProviderDeps = {},
): (name: ProviderName) => TranscriptProvider {
  const demo = deps.demoTranscripts ? transcriptProviderFactories.fake(deps) : undefined;
  const providers: Record<ProviderName, TranscriptProvider> = {
    panopto: withDemoRecordings(transcriptProviderFactories.panopto(deps), demo, deps.demoTranscripts),
    zoom: withDemoRecordings(transcriptProviderFactories.zoom(), demo, deps.demoTranscripts),
    fake: transcriptProviderFactories.fake(deps),
  };
  return (name) => providers[name];
}

function withDemoRecordings(
  provider: TranscriptProvider,
  demo: TranscriptProvider | undefined,
  recordings: Readonly<Record<string, string>> | undefined,
): TranscriptProvider {
  if (!demo || !recordings) return provider;
  return defineTranscriptProvider({
    name: provider.name,
    fetchTranscript: (ref, options) =>
      Object.hasOwn(recordings, ref.url)
        ? demo.fetchTranscript(ref, options)
        : provider.fetchTranscript(ref, options),
  });
}
