import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOpenAi, fakeReplies, startFakeOpenAi } from '../fakes/fake-openai-server.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const API_KEY = 'sk-test-9c1e7b2a44f0';
const NOTES = '# Lecture 1 – The cell membrane\n\n## Key ideas\n- The bilayer forms on its own in water.\n';

describe('notes written by an OpenAI-compatible server', () => {
  let llm: FakeOpenAi;
  let t: TestApp;
  beforeEach(async () => {
    llm = await startFakeOpenAi();
    t = await createTestApp({
      config: { llm: { apiKey: API_KEY, baseUrl: llm.baseUrl, model: 'notes-model-1' } },
    });
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    await t.app.inject({ method: 'POST', url: '/courses/101/modules/refresh' });
  });
  afterEach(async () => {
    await t.close();
    await llm.close();
  });

  it('sends the transcript to OPENAI_BASE_URL with OPENAI_MODEL and stores the reply as the notes', async () => {
    llm.respondWith(() => ({ kind: 'completion', content: NOTES, model: 'notes-model-1' }));
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().summarizer).toBe('openai');

    await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    await t.deps.runner.runUntilEmpty();

    const item = (await t.app.inject({ method: 'GET', url: '/items/10001' })).json();
    expect(item.status).toBe('SUMMARY_READY');
    expect(readFileSync(item.summary_path, 'utf8')).toBe(NOTES);
    expect(llm.requests).toHaveLength(1);
    const body = llm.requests[0]?.body as { model: string; messages: Array<{ content: string }> };
    expect(body.model).toBe('notes-model-1');
    expect(body.messages.map((m) => m.content).join('\n')).toContain('phospholipid');
    expect(llm.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(t.logs.join('\n')).not.toContain(API_KEY);
  });

  it('records llm.unauthorized on the item for a rejected key, without retrying or leaking it', async () => {
    llm.respondWith(() => fakeReplies.unauthorized(`Incorrect API key provided: ${API_KEY}.`));
    await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    await t.deps.runner.runUntilEmpty();

    const response = await t.app.inject({ method: 'GET', url: '/items/10001' });
    // The transcript was fetched before the notes failed, so the item keeps what that justifies.
    expect(response.json()).toMatchObject({
      status: 'TRANSCRIPT_READY',
      error_code: 'llm.unauthorized',
      summary_path: null,
    });
    expect(response.json().transcript_path).not.toBeNull();
    expect(llm.requests).toHaveLength(1);
    expect(response.body).not.toContain(API_KEY);
    expect(t.logs.join('\n')).not.toContain(API_KEY);
  });
});
