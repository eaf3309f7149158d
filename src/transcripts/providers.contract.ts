/**
 * The behaviour every transcript provider shares, as a vitest suite. Each provider's test file
 * calls `runProviderContract` with its refs. A provider that can serve no recording in the
 * fixture's set-up says so with `servesRecordings: false`, and the cases that need one are not
 * registered for it; for every other provider a missing ref fails the suite.
 */

import { parse as parseHtml } from 'node-html-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { parsePageDocument } from './page-html.ts';
import type {
  DetectInput,
  FetchContext,
  MediaRef,
  ProviderName,
  TranscriptProvider,
} from './transcript-provider.ts';

const CONTEXT: FetchContext = { courseId: 1 };

/** Inputs no provider may claim a recording in. */
const UNRELATED_INPUTS: DetectInput[] = [
  { kind: 'url', url: 'https://example.com/syllabus.html' },
  { kind: 'url', url: 'not a url' },
  {
    kind: 'page',
    page: parsePageDocument('<p>Read chapter 3 <a href="https://example.com/x">here</a>.</p>'),
  },
  { kind: 'page', page: { root: parseHtml(''), links: [] } },
  {
    kind: 'file',
    file: {
      id: 9,
      displayName: 'grades.xlsx',
      contentType: 'application/vnd.ms-excel',
      size: 10,
      mediaEntryId: null,
    },
  },
];

export interface ProviderContractFixture {
  provider: TranscriptProvider;
  /** Something Canvas could show (a URL, a page, a file) that names `goodRef` (or `permanentFailureRef`). */
  detectInput: DetectInput;
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

    it('detects its recording in what Canvas shows, as a ref of its own', () => {
      const refs = fixture.provider.detect(fixture.detectInput);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(ref.provider).toBe(name);
      const expected = fixture.goodRef ?? fixture.permanentFailureRef;
      if (expected) expect(refs.map((ref) => ref.ref)).toContain(expected.ref);
    });

    it('detects nothing in unrelated input', () => {
      for (const input of UNRELATED_INPUTS) expect(fixture.provider.detect(input)).toEqual([]);
    });

    if (servesRecordings) {
      it('returns non-empty cues sorted by start time and readable text for a recording with captions', async () => {
        const transcript = await fixture.provider.fetch(required(fixture.goodRef, 'goodRef'), CONTEXT);
        expect(transcript.cues.length).toBeGreaterThan(0);
        const starts = transcript.cues.map((cue) => cue.startMs);
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
        for (const cue of transcript.cues) {
          expect(cue.text.trim()).not.toBe('');
          expect(cue.text).not.toMatch(/-->|<\/?[a-z]/i);
          expect(cue.endMs).toBeGreaterThanOrEqual(cue.startMs);
        }
      });
    }

    it('fails a recording it cannot serve with a permanent AppError of its own area or transcript.*', async () => {
      const ref = required(fixture.permanentFailureRef, 'permanentFailureRef');
      const error = await fixture.provider.fetch(ref, CONTEXT).catch((thrown: unknown) => thrown);
      expect(isAppError(error)).toBe(true);
      expect(error).toMatchObject({
        transient: false,
        code: expect.stringMatching(new RegExp(`^(?:transcript|${name})\\.`)),
      });
    });

    it('rejects with the abort reason when the signal is already aborted', async () => {
      const ref = fixture.goodRef ?? fixture.permanentFailureRef;
      if (!ref) throw new Error('The contract needs at least one ref to check aborts.');
      const controller = new AbortController();
      controller.abort();
      await expect(fixture.provider.fetch(ref, { ...CONTEXT, signal: controller.signal })).rejects.toBe(
        controller.signal.reason,
      );
    });

    if (servesRecordings) {
      it('rejects with the abort reason when the signal aborts mid-request', async () => {
        const ref = required(fixture.slowRef, 'slowRef');
        const controller = new AbortController();
        const outcome = fixture.provider
          .fetch(ref, { ...CONTEXT, signal: controller.signal })
          .catch((e: unknown) => e);
        setTimeout(() => controller.abort(), 50);
        const error = await outcome;
        expect(controller.signal.aborted).toBe(true);
        expect(error).toBe(controller.signal.reason);
      });
    }
  });
}
