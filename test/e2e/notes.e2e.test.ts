import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { artifacts } from '../../src/db/schema.ts';
import { PROMPT_VERSION } from '../../src/summarize/prompts.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../fakes/fake-openai-server.ts';
import type { FakeCaptionLine } from '../fakes/fake-panopto-server.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { startJobsEnv } from '../helpers/jobs-env.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** The demo's first lecture: a Panopto session whose captions start 1.5 s in. */
const LECTURE = 10001;
const LECTURE_GUID = '6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b01';
const VIEWER = `https://demo.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${LECTURE_GUID}`;
/** The demo's reading Page: text, no times. */
const READING = 10002;
const TIME = /\[\d{2}:\d{2}:\d{2}\]/;

const summaryJson = async (t: TestApp, id: number) => {
  const response = await t.app.inject({
    method: 'GET',
    url: `/items/${id}/summary`,
    headers: { accept: 'application/json' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

async function summarize(t: TestApp, id: number) {
  const response = await t.app.inject({ method: 'POST', url: `/items/${id}/summarize` });
  expect(response.statusCode, response.body).toBeLessThan(300);
  await t.deps.runner.runUntilEmpty();
  const item = (await t.app.inject({ method: 'GET', url: `/items/${id}` })).json();
  expect(item.status, JSON.stringify(item)).toBe('SUMMARY_READY');
  return readFileSync(item.summary_path, 'utf8');
}

describe('notes written by a model', () => {
  let llm: FakeOpenAi;
  let t: TestApp;
  afterEach(async () => {
    await t.close();
    await llm.close();
  });

  it('keeps the times inside the recording, links them to the moment, drops invented ones and keeps a record', async () => {
    const reply = [
      '# Lecture 1',
      '',
      '## Overview',
      // Before the first words (the recording opens with music), but still a moment of it.
      'Membranes. [00:00:00]',
      '',
      '## [00:00:02] The bilayer',
      '- Phospholipids form two layers [00:00:20](https://made-up.example/watch)',
      '- An invented moment [02:00:00]',
      '',
      '## Key terms',
      'phospholipid, bilayer',
    ].join('\n');
    llm = await startFakeOpenAi({
      responder: () => ({
        kind: 'completion',
        content: reply,
        usage: { prompt_tokens: 900, completion_tokens: 60 },
      }),
    });
    t = await createTestApp({
      config: {
        llm: { apiKey: 'sk-notes-e2e-key', baseUrl: llm.baseUrl, model: 'notes-model' },
        notes: { language: 'Deutsch', instructions: 'Use LaTeX for formulas.' },
      },
    });
    await syncDemo(t.app, [101]);

    const notes = await summarize(t, LECTURE);
    expect(notes).toBe(
      [
        '# Lecture 1',
        '',
        '## Overview',
        `Membranes. [00:00:00](${VIEWER}&start=0)`,
        '',
        `## [00:00:02](${VIEWER}&start=2) The bilayer`,
        `- Phospholipids form two layers [00:00:20](${VIEWER}&start=20)`,
        '- An invented moment',
        '',
        '## Key terms',
        'phospholipid, bilayer',
        '',
      ].join('\n'),
    );

    const prompt = JSON.stringify(llm.requests[0]?.body);
    expect(prompt).toContain('Deutsch');
    expect(prompt).toContain('Use LaTeX for formulas.');
    expect(llm.requests[0]?.headers['x-canvas-notes-prompt']).toBe(PROMPT_VERSION);

    const record = await summaryJson(t, LECTURE);
    expect(record).toMatchObject({
      item_id: LECTURE,
      markdown: notes,
      model: 'notes-model',
      summarizer: 'openai',
      prompt_version: PROMPT_VERSION,
      parts: 1,
      calls: 1,
      usage: { prompt_tokens: 900, completion_tokens: 60 },
      left_out: [],
      times_dropped: 1,
    });
    expect(record.wall_ms).toBeGreaterThanOrEqual(0);
  });
});

describe('notes written offline', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('links every time of a Panopto lecture to its own second and records how they were made', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const notes = await summarize(t, LECTURE);
    const linked = [...notes.matchAll(/\[(\d{2}):(\d{2}):(\d{2})\]\(([^)]*)\)/g)];
    expect(linked.length).toBeGreaterThan(2);
    for (const [, h, m, s, url] of linked) {
      expect(url).toBe(`${VIEWER}&start=${Number(h) * 3600 + Number(m) * 60 + Number(s)}`);
    }
    // No time is left unlinked.
    expect(notes.replace(/\[\d{2}:\d{2}:\d{2}\]\(/g, '')).not.toMatch(TIME);
    expect(await summaryJson(t, LECTURE)).toMatchObject({
      summarizer: 'offline',
      model: 'offline',
      prompt_version: 'offline-v2',
      parts: 1,
      calls: 0,
      usage: null,
      left_out: [],
      times_dropped: 0,
    });
  });

  it('shows notes written before summaries kept a record with null record fields', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const notes = await summarize(t, LECTURE);
    // As migration 0003 leaves a summary stored by an older version.
    t.deps.db.update(artifacts).set({ details: null }).where(eq(artifacts.kind, 'summary')).run();
    expect(await summaryJson(t, LECTURE)).toEqual({
      item_id: LECTURE,
      markdown: notes,
      model: 'offline',
      created_at: expect.any(String),
      summarizer: null,
      prompt_version: null,
      parts: null,
      calls: null,
      usage: null,
      wall_ms: null,
      left_out: [],
      times_dropped: null,
    });
  });

  it('writes a reading the same shape without any time', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const notes = await summarize(t, READING);
    expect(notes).toMatch(/^# .+\n/);
    expect(notes).toContain('\n## Overview\n');
    expect(notes).not.toMatch(TIME);
  });
});

describe('notes of a recording with chapters', () => {
  it("heads the sections with Panopto's chapters, at their times", async () => {
    const words = 'the membrane potential depends on ions crossing channels and pumps'.split(' ');
    const lines: FakeCaptionLine[] = Array.from({ length: 60 }, (_, i) => ({
      Caption: `Point ${i + 1}: ${words.slice(0, 6 + (i % 6)).join(' ')} in neurons number ${i + 1}.`,
      Time: i * 10,
      Duration: 9,
    }));
    const env = await startJobsEnv({ lectures: 1 });
    const [id = 0] = env.course.lectureIds;
    env.panopto.sessions.set(env.course.guid(id), {
      kind: 'delivery',
      tracks: [{ language: 0, lines }],
      timestamps: [
        { Caption: 'Resting potential', Time: 0, ShowInTableOfContents: true },
        { Caption: 'Ion pumps', Time: 300, ShowInTableOfContents: true },
      ],
    });
    try {
      const notes = await summarize(env.t, id);
      const headings = notes.split('\n').filter((line) => /^## \[/.test(line));
      expect(headings.map((line) => line.replace(/\]\([^)]*\)/, ']'))).toEqual([
        '## [00:00:00] Resting potential',
        '## [00:05:00] Ion pumps',
      ]);
    } finally {
      await env.close();
    }
  });
});
