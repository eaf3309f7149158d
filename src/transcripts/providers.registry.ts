/**
 * The one list of transcript providers, in the order detection asks them. `satisfies` below
 * makes a provider missing from the table a type error.
 */

import type { CanvasApi } from '../canvas/canvas.schemas.ts';
import { createCanvasMediaProvider } from './providers/canvas-media.provider.ts';
import type { FakeFetch } from './providers/fake.provider.ts';
import { createPanoptoProvider } from './providers/panopto.provider.ts';
import { createReadingProvider } from './providers/reading.provider.ts';
import { createYouTubeProvider } from './providers/youtube.provider.ts';
import { createZoomProvider } from './providers/zoom.provider.ts';
import {
  isProviderName,
  PROVIDER_NAMES,
  type ProviderName,
  type TranscriptProvider,
} from './transcript-provider.ts';

export interface TranscriptProviderDeps {
  canvas: CanvasApi;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Per-exchange timeout for providers that call out. */
  timeoutMs?: number;
  /** Preferred caption languages, best first. */
  languages?: readonly string[];
  panopto?: { baseUrl?: string; cookie?: string };
  zoom?: { accountId?: string; clientId?: string; clientSecret?: string; shareLinks?: boolean };
  /**
   * Fetches that replace a provider's own (the demo account's recordings, tests). Detection
   * stays the real provider's, so the demo and the tests find recordings the way a sync does.
   */
  fetchOverrides?: Partial<Record<ProviderName, FakeFetch>>;
}

export interface TranscriptProviders {
  /** Every provider, in detection order. */
  readonly all: readonly TranscriptProvider[];
  get(name: ProviderName): TranscriptProvider;
  /** How the notes' times open this recording at a moment; null when its host cannot. */
  linkerFor(source: {
    provider: string;
    ref: string;
    url: string | null;
  }): ((seconds: number) => string | null) | null;
}

type Factory = (deps: TranscriptProviderDeps) => TranscriptProvider;

export const transcriptProviderFactories = {
  panopto: (deps) =>
    createPanoptoProvider({
      fetch: deps.fetch,
      baseUrl: deps.panopto?.baseUrl,
      cookie: deps.panopto?.cookie,
      timeoutMs: deps.timeoutMs,
      languages: deps.languages,
    }),
  zoom: (deps) => createZoomProvider({ fetch: deps.fetch, timeoutMs: deps.timeoutMs, ...deps.zoom }),
  canvas_media: (deps) => createCanvasMediaProvider({ canvas: deps.canvas, languages: deps.languages }),
  youtube: (deps) =>
    createYouTubeProvider({ fetch: deps.fetch, timeoutMs: deps.timeoutMs, languages: deps.languages }),
  reading: (deps) => createReadingProvider({ canvas: deps.canvas }),
} as const satisfies Record<ProviderName, Factory>;

export function createTranscriptProviders(deps: TranscriptProviderDeps): TranscriptProviders {
  const byName = new Map<ProviderName, TranscriptProvider>();
  for (const name of PROVIDER_NAMES) {
    const provider = transcriptProviderFactories[name](deps);
    const override = deps.fetchOverrides?.[name];
    byName.set(name, override ? { ...provider, fetch: override.fetch } : provider);
  }
  return {
    all: [...byName.values()],
    get(name) {
      const provider = byName.get(name);
      if (!provider) throw new Error(`No transcript provider ${name}`);
      return provider;
    },
    linkerFor(source) {
      const provider = isProviderName(source.provider) ? byName.get(source.provider) : undefined;
      const linkAt = provider?.linkAt;
      return linkAt ? (seconds) => linkAt(source, seconds) : null;
    },
  };
}
