/** A fake Zoom and providers pointed at it, shared by the Zoom integration tests. */

import { expect } from 'vitest';
import type { AppError } from '../../src/shared/errors.ts';
import {
  createZoomProvider,
  type ZoomProviderOptions,
} from '../../src/transcripts/providers/zoom.provider.ts';
import type { MediaRef } from '../../src/transcripts/transcript-provider.ts';
import {
  type FakeZoom,
  type FakeZoomOptions,
  type FakeZoomRecording,
  startFakeZoom,
} from '../fakes/fake-zoom-server.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';

export const NOW = Date.parse('2026-11-20T12:00:00Z');
export const HOST = 'https://example-edu.zoom.us';

export const TRANSCRIPT_VTT = [
  'WEBVTT',
  '',
  '1',
  '00:00:01.000 --> 00:00:04.500',
  'Dr. Lee: Good morning, today we cover enzymes.',
  '',
  '2',
  '00:00:04.600 --> 00:00:09.000',
  'Dr. Lee: Enzymes lower the activation energy.',
  '',
].join('\n');

export const CC_VTT = 'WEBVTT\n\n00:00:00.500 --> 00:00:03.000\nWelcome back to the course.\n';

/** A recording with a transcript, named by its share token so mix-ups show. */
export const lecture = (shareToken: string, extra: Partial<FakeZoomRecording> = {}): FakeZoomRecording => ({
  shareToken,
  startTime: '2026-11-10T15:00:12Z',
  topic: `BIO 201 ${shareToken}`,
  transcript: TRANSCRIPT_VTT,
  ...extra,
});

export const share = (token: string) => `${HOST}/rec/share/${token}`;

export interface ZoomSetup {
  fake: FakeZoom;
  clock: { now: number };
  /** Every Zoom host (zoom.us, api.zoom.us, <sub>.zoom.us) rewritten to the fake. */
  fetch: typeof fetch;
  /** A provider with the fake's S2S credentials (override them, or pass undefined to drop them). */
  provider(options?: ZoomProviderOptions): ReturnType<typeof createZoomProvider>;
}

export async function startZoomSetup(options: FakeZoomOptions = {}): Promise<ZoomSetup> {
  const clock = { now: NOW };
  const fake = await startFakeZoom({ now: () => clock.now, ...options });
  const fetch = rewriteFetch({ 'https://zoom.us': fake.origin, 'https://*.zoom.us': fake.origin });
  return {
    fake,
    clock,
    fetch,
    provider: (overrides = {}) =>
      createZoomProvider({
        fetch,
        now: () => clock.now,
        timeoutMs: 5_000,
        ...fake.credentials,
        ...overrides,
      }),
  };
}

export const NO_CREDENTIALS = { accountId: undefined, clientId: undefined, clientSecret: undefined };

export function refOf(provider: ReturnType<typeof createZoomProvider>, url: string): MediaRef {
  const [ref] = provider.detect({ kind: 'url', url });
  if (!ref) throw new Error(`No Zoom ref in ${url}`);
  return ref;
}

/** The AppError a promise rejects with; fails the test if it resolves. */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as AppError,
  );
  if (!outcome) throw new Error('Expected the fetch to fail.');
  return outcome;
}

/** No secret, token, passcode or cookie value the fake saw is in the error. */
export function expectNoSecrets(error: AppError, fake: FakeZoom, passcodes: readonly string[] = []) {
  const cookies = fake.log.flatMap((request) =>
    (request.cookie ?? '').split(';').map((pair) => pair.split('=').slice(1).join('=').trim()),
  );
  const secrets = [fake.credentials.clientSecret, ...fake.tokensIssued, ...passcodes, ...cookies].filter(
    Boolean,
  );
  const shown = `${error.code} ${error.message}`;
  for (const secret of secrets) expect(shown).not.toContain(secret);
}
