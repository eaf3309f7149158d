/**
 * The behaviour every transcript provider shares, as a vitest suite. Each provider's test file
 * calls `runProviderContract` with its refs. A provider that can serve no recording at all (Zoom,
 * for now) says so with `servesRecordings: false`, and the cases that need one are not
 * registered for it; for every other provider a missing ref fails the suite.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import type { MediaRef, ProviderName, TranscriptProvider } from './transcript-provider.ts';

export interface ProviderContractFixture {
  provider: TranscriptProvider;
  /** A recording with captions. */
  goodRef?: MediaRef;
  /** A recording the provider must refuse for good (missing, private, unsupported…). */
  permanentFailureRef?: MediaRef;
  /** A recording that takes at least ~1 s to answer, to abort mid-request. */
  slowRef?: MediaRef;
  close?: () => Promise<void> | void;
}

/** Registers the shared provider behaviour tests; `setup` runs once before them. */
export function runProviderContract(
  name: ProviderName,
  setup: () => Promise<ProviderContractFixture> | ProviderContractFixture,
  options: { servesRecordings?: boolean } = {},
): void {
  const servesRecordings = options.servesRecordings ?? true;
  const required = (ref: MediaRef | undefined, what: string): MediaRef => {
    if (!ref) throw new Error(`The ${name} contract fixture needs ${what}.`);
    return ref;
  };
  describe(`${name} provider contract`, () => {
    let fixture: ProviderContractFixture;
    beforeAll(async () => {
      fixture = await setup();
    });
    afterAll(async () => {
      await fixture?.close?.();
    });

    it('reports the name it is registered under', () => {
      expect(fixture.provider.name).toBe(name);
    });

    if (servesRecordings) {
      it('returns non-empty cues sorted by start time and readable text for a recording with captions', async () => {
        const transcript = await fixture.provider.fetchTranscript(required(fixture.goodRef, 'goodRef'), {});
        expect(transcript.cues.length).toBeGreaterThan(0);
        const starts = transcript.cues.map((cue) => cue.startMs);
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
        for (const cue of transcript.cues) expect(cue.text.trim()).not.toBe('');
        expect(transcript.text.trim()).not.toBe('');
        expect(transcript.text).not.toMatch(/-->|<\/?[a-z]/i);
      });
    }

    it('fails a recording it cannot serve with a permanent transcript.* AppError', async () => {
      const ref = required(fixture.permanentFailureRef, 'permanentFailureRef');
      const error = await fixture.provider.fetchTranscript(ref, {}).catch((thrown: unknown) => thrown);
      expect(isAppError(error)).toBe(true);
      expect(error).toMatchObject({ transient: false, code: expect.stringMatching(/^transcript\./) });
    });

    it('rejects with the abort reason when the signal is already aborted', async () => {
      const ref = fixture.goodRef ?? fixture.permanentFailureRef;
      if (!ref) throw new Error('The contract needs at least one ref to check aborts.');
      const controller = new AbortController();
      controller.abort();
      await expect(fixture.provider.fetchTranscript(ref, { signal: controller.signal })).rejects.toBe(
        controller.signal.reason,
      );
    });

    if (servesRecordings) {
      it('rejects with the abort reason when the signal aborts mid-request', async () => {
        const ref = required(fixture.slowRef, 'slowRef');
        const controller = new AbortController();
        const outcome = fixture.provider
          .fetchTranscript(ref, { signal: controller.signal })
          .catch((e: unknown) => e);
        setTimeout(() => controller.abort(), 50);
        const error = await outcome;
        expect(controller.signal.aborted).toBe(true);
        expect(error).toBe(controller.signal.reason);
      });
    }
  });
}
