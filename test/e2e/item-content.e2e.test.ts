import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/shared/hash.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('an item’s transcript, notes and artifact records over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101, 102]);
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, accept?: string) =>
    t.app.inject({ method: 'GET', url, headers: accept ? { accept } : {} });
  const summarize = async (id: number) => {
    await t.app.inject({ method: 'POST', url: `/items/${id}/summarize` });
    await t.deps.runner.runUntilEmpty();
  };
  const transcriptFile = () => join(t.dataDir, 'transcripts', '10001.txt');
  const cuesFile = () => join(t.dataDir, 'transcripts', '10001.json');

  it('answers 404 not_ready for the transcript and the notes before they exist', async () => {
    const transcript = await get('/items/10001/transcript');
    expect(transcript.statusCode).toBe(404);
    expect(transcript.json()).toEqual({
      error: { code: 'transcript.not_ready', message: expect.any(String) },
    });
    const json = await get('/items/10001/transcript', 'application/json');
    expect(json.statusCode).toBe(404);
    expect(json.json().error.code).toBe('transcript.not_ready');
    const summary = await get('/items/10001/summary');
    expect(summary.statusCode).toBe(404);
    expect(summary.json()).toEqual({ error: { code: 'summary.not_ready', message: expect.any(String) } });
    expect((await get('/items/10001/artifacts')).json()).toEqual({ artifacts: [] });
  });

  it('answers 404 item.not_found for the content of an unknown item', async () => {
    for (const path of ['transcript', 'summary', 'artifacts']) {
      const response = await get(`/items/424242/${path}`);
      expect(response.statusCode, path).toBe(404);
      expect(response.json().error.code, path).toBe('item.not_found');
    }
  });

  it('serves the transcript as UTF-8 plain text by default, exactly as stored', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    for (const accept of [undefined, '*/*', 'text/plain', 'text/html,*/*;q=0.8']) {
      const response = await get('/items/10001/transcript', accept);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers.vary).toMatch(/Accept/);
      expect(response.body).toBe(readFileSync(transcriptFile(), 'utf8'));
    }
    expect((await get('/items/10001/transcript')).body).toMatch(/^\[00:00:0\d\] /);
  });

  it('serves the transcript as timed segments when the client asks for JSON', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    const response = await get('/items/10001/transcript', 'application/json');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json();
    const stored = readFileSync(transcriptFile(), 'utf8');
    expect(body.item_id).toBe(10001);
    expect(body.text).toBe(stored);
    expect(body.segments.length).toBe(stored.split('\n\n').length);
    const [first, second] = body.segments;
    expect(first).toEqual({
      start_ms: expect.any(Number),
      start: expect.stringMatching(/^00:00:0\d$/),
      text: expect.any(String),
      link: expect.stringContaining(
        `start=${first.start_ms === null ? '' : Math.floor(first.start_ms / 1000)}`,
      ),
      source: 0,
    });
    expect(first.text).not.toMatch(/^\[/);
    expect(stored.startsWith(`[${first.start}] ${first.text}`)).toBe(true);
    expect(second.start_ms).toBeGreaterThan(first.start_ms);
    const ms = (hhmmss: string) =>
      hhmmss.split(':').reduce((total, part) => total * 60 + Number(part), 0) * 1000;
    // Times come from the cues file: a paragraph starts when its first cue does, to the
    // millisecond; the text's marker is that time floored to the second.
    const cues: Array<{ start_ms: number; text: string }> = JSON.parse(readFileSync(cuesFile(), 'utf8'))
      .sources[0].cues;
    for (const segment of body.segments) {
      const opening = cues.find((cue) => segment.text.startsWith(cue.text));
      expect(segment.start_ms, segment.text).toBe(opening?.start_ms);
      expect(Math.floor(segment.start_ms / 1000) * 1000).toBe(ms(segment.start));
    }
    expect(second.start_ms).not.toBe(ms(second.start));
  });

  it('gives null times to a transcript without time markers', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    writeFileSync(transcriptFile(), 'Welcome to the course.\n\nToday: membranes.');
    const body = (await get('/items/10001/transcript', 'application/json')).json();
    expect(body.segments).toEqual([
      { start_ms: null, start: null, text: 'Welcome to the course.', link: null, source: 0 },
      { start_ms: null, start: null, text: 'Today: membranes.', link: null, source: 0 },
    ]);
    // An edited text no longer matches its cues file: it names no recordings, and is one section.
    expect(body.sources).toEqual([]);
  });

  it('ignores a cues file that is not the one recorded, as a crash mid-publish can leave', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    const own = (await get('/items/10001/transcript', 'application/json')).json();
    expect(own.sources).toHaveLength(1);
    // A newer transcript's cues moved into place before the crash: valid, but not the recorded
    // file, and their times belong to another text.
    const document = JSON.parse(readFileSync(cuesFile(), 'utf8'));
    for (const paragraph of document.sources[0].paragraphs) paragraph.start_ms += 90_000;
    writeFileSync(cuesFile(), JSON.stringify(document));
    const body = (await get('/items/10001/transcript', 'application/json')).json();
    expect(body.sources).toEqual([]);
    expect(body.segments.map((segment: { start: string }) => segment.start)).toEqual(
      own.segments.map((segment: { start: string }) => segment.start),
    );
    expect(body.segments.map((segment: { start_ms: number }) => segment.start_ms)).not.toEqual(
      own.segments.map((segment: { start_ms: number }) => segment.start_ms),
    );
  });

  it('answers 409 file_missing, not 500, when a recorded file is gone from the data folder', async () => {
    await summarize(10001);
    rmSync(transcriptFile());
    rmSync(join(t.dataDir, 'summaries', '10001.md'));
    for (const accept of [undefined, 'application/json']) {
      const transcript = await get('/items/10001/transcript', accept);
      expect(transcript.statusCode).toBe(409);
      expect(transcript.json().error.code).toBe('transcript.file_missing');
      const summary = await get('/items/10001/summary', accept);
      expect(summary.statusCode).toBe(409);
      expect(summary.json().error.code).toBe('summary.file_missing');
    }
  });

  it('serves the notes as UTF-8 Markdown, or as JSON with their model', async () => {
    await summarize(10001);
    const notes = readFileSync(join(t.dataDir, 'summaries', '10001.md'), 'utf8');
    const markdown = await get('/items/10001/summary');
    expect(markdown.statusCode).toBe(200);
    expect(markdown.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(markdown.body).toBe(notes);
    expect(markdown.body).toContain('\n## Overview\n');

    const json = await get('/items/10001/summary', 'application/json');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual({
      item_id: 10001,
      markdown: notes,
      model: 'offline',
      created_at: expect.any(String),
      summarizer: 'offline',
      prompt_version: 'offline-v2',
      parts: 1,
      calls: 0,
      usage: null,
      wall_ms: expect.any(Number),
      left_out: [],
      times_dropped: 0,
    });
  });

  it('lists an item’s artifact records and serves each one by id', async () => {
    await summarize(10001);
    const response = await get('/items/10001/artifacts');
    expect(response.statusCode).toBe(200);
    const { artifacts } = response.json();
    expect(artifacts.map((a: { kind: string }) => a.kind)).toEqual(['transcript', 'cues', 'summary']);
    const [transcript, cues, summary] = artifacts;
    const transcriptText = readFileSync(transcriptFile(), 'utf8');
    const cuesJson = readFileSync(cuesFile(), 'utf8');
    expect(transcript).toEqual({
      id: expect.any(Number),
      item_id: 10001,
      kind: 'transcript',
      path: join(t.dataDir, 'transcripts', '10001.txt'),
      created_at: expect.any(String),
      content_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      bytes: Buffer.byteLength(transcriptText),
      source_hash: expect.any(String),
      model: null,
      usage: null,
    });
    // The cues file records the hash of the text it was written with.
    expect(cues).toEqual({
      id: expect.any(Number),
      item_id: 10001,
      kind: 'cues',
      path: cuesFile(),
      created_at: expect.any(String),
      content_hash: sha256(cuesJson),
      bytes: Buffer.byteLength(cuesJson),
      source_hash: transcript.content_hash,
      model: null,
      usage: null,
    });
    expect(transcript.content_hash).toBe(sha256(transcriptText));
    expect(summary).toMatchObject({
      item_id: 10001,
      kind: 'summary',
      path: join(t.dataDir, 'summaries', '10001.md'),
      model: expect.any(String),
      source_hash: expect.any(String),
    });
    const item = (await get('/items/10001')).json();
    expect([transcript.path, summary.path]).toEqual([item.transcript_path, item.summary_path]);

    const one = await get(`/artifacts/${summary.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(summary);
    expect((await get(`/artifacts/${cues.id}`)).json()).toEqual(cues);
    const unknown = await get('/artifacts/424242');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('artifact.not_found');
  });

  it('reports the token usage of notes written by a model that reports it', async () => {
    await summarize(10001);
    const summaryArtifact = t.deps.repositories.artifacts.find(10001, 'summary');
    if (!summaryArtifact) throw new Error('no summary recorded');
    t.deps.db.transaction((tx) =>
      t.deps.repositories.artifacts.put(
        tx,
        { ...summaryArtifact, model: 'gpt-4o-mini', promptTokens: 1200, completionTokens: 300 },
        new Date(),
      ),
    );
    const body = (await get(`/artifacts/${summaryArtifact.id}`)).json();
    expect(body).toMatchObject({
      model: 'gpt-4o-mini',
      usage: { prompt_tokens: 1200, completion_tokens: 300 },
    });
  });

  it('lists the recordings an item links to on GET /items/{id}', async () => {
    const panopto = (await get('/items/10001')).json();
    expect(panopto.media_links).toEqual([{ provider: 'panopto', url: panopto.media_url }]);
    const zoom = (await get('/items/20002')).json();
    expect(zoom.media_links).toEqual([
      { provider: 'zoom', url: 'https://demo-edu.zoom.us/rec/share/q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP' },
    ]);
    expect((await get('/items/10004')).json().media_links).toEqual([]);
  });
});
