import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Summarizer } from '../../src/summarize/summarizer.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Notes are written from one transcript; if the item's transcript is replaced while the model
 * writes (an upload, or a fetch after a sync found other recordings), those notes are of a text
 * the item no longer holds and must not be recorded as its notes.
 */

const ITEM = 10001;
let t: TestApp;
let duringSummary: () => Promise<void> = async () => undefined;

beforeEach(async () => {
  const summarizer: Summarizer = {
    name: 'fake',
    settingsKey: 'race-test',
    async summarize(input) {
      await duringSummary();
      return {
        text: `# ${input.title}\n\nNotes.`,
        model: 'fake',
        usage: null,
        promptVersion: 'race-v1',
        parts: 1,
        calls: 1,
        leftOut: [],
      };
    },
  };
  t = await createTestApp({ overrides: { summarizer } });
  await syncDemo(t.app, [101]);
});
afterEach(() => t.close());

describe('notes of a transcript that changed meanwhile', () => {
  it('are not recorded, and the item keeps the new transcript without notes', async () => {
    duringSummary = async () => {
      duringSummary = async () => undefined;
      // What an upload does, without the route's check for a running job: the race itself.
      await t.deps.services.transcripts.upload(ITEM, 'A transcript typed up by hand.', 'text/plain');
    };
    const item = t.deps.repositories.items.get(ITEM);
    if (!item) throw new Error('demo item missing');
    await expect(t.deps.services.summaries.summarize(item, {})).rejects.toMatchObject({
      code: 'transcript.source_changed',
      transient: true,
    });
    expect(t.deps.repositories.artifacts.find(ITEM, 'summary')).toBeUndefined();
    expect(t.deps.repositories.items.get(ITEM)?.status).toBe('TRANSCRIPT_READY');

    // The retry summarizes the transcript the item holds now.
    const again = t.deps.repositories.items.get(ITEM);
    if (!again) throw new Error('demo item missing');
    await t.deps.services.summaries.summarize(again, {});
    expect(t.deps.repositories.items.get(ITEM)?.status).toBe('SUMMARY_READY');
  });
});
