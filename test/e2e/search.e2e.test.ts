import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import {
  type FakeCanvas,
  type FakeCanvasState,
  findModule,
  panoptoGuid,
} from '../fakes/fake-canvas-server.ts';
import type { FakePanopto } from '../fakes/fake-panopto-server.ts';
import { type CanvasEnv, startCanvasEnv } from '../helpers/canvas-env.ts';
import type { TestApp } from '../helpers/test-app.ts';

const TOKEN = 'search-token';
const COURSE = 8001;
const MODULE = 8101;
const OTHER_COURSE = 8002;

/** Titled with the words; never fetched. */
const TITLED = 81_001;
/** A recording whose captions say the words at known times. */
const LECTURE = 81_002;
/** A title with markup in it. */
const MARKUP = 81_003;
const OTHER = 82_001;

const viewer = (origin: string, id: number) => `${origin}/Panopto/Pages/Viewer.aspx?id=${panoptoGuid(id)}`;

function account(panoptoOrigin: string): FakeCanvasState {
  const recording = (id: number, title: string) => ({
    id,
    title,
    type: 'ExternalUrl',
    external_url: viewer(panoptoOrigin, id),
  });
  const course = (id: number, name: string, moduleId: number, items: ReturnType<typeof recording>[]) => ({
    id,
    name,
    course_code: name.split(':')[0] ?? name,
    workflow_state: 'available',
    term: null,
    pages: [],
    modules: [{ id: moduleId, name: 'Lectures', items }],
  });
  return {
    courses: [
      course(COURSE, 'OPT 301: Optimisation', MODULE, [
        recording(TITLED, 'Gradient descent, explained'),
        recording(LECTURE, 'Lecture 2 (Panopto)'),
        recording(MARKUP, 'Lecture 3 <script>alert(1)</script>'),
      ]),
      course(OTHER_COURSE, 'ECON 101: Markets', 8201, [recording(OTHER, 'Gradient descent in economics')]),
    ],
  };
}

/** Three paragraphs (`>>` starts one), said at 00:00:01, 00:01:10 and 00:02:30. */
const CAPTIONS = [
  '1\n00:00:01,000 --> 00:00:04,000\nWelcome back to the course.\n',
  '2\n00:01:10,000 --> 00:01:15,000\n>> Today we study gradient descent on a state-space model.\n',
  "3\n00:02:30,000 --> 00:02:34,000\n>> Don't forget the homework on convex sets.\n",
].join('\n');

/** The fake summarizer's notes: one word (chlorophyll) said nowhere in the transcript. */
const NOTES = [
  '# Lecture 2',
  '',
  '## Overview',
  'An odd aside on chlorophyll.',
  '',
  '## [00:01:10] Descent methods',
  '- Step sizes decide convergence.',
].join('\n');

interface Result {
  item_id: number;
  course_id: number;
  module_id: number;
  title: string;
  match: string;
  snippet: string;
  start_ms: number | null;
  start: string | null;
  link: string | null;
}

describe('GET /search', () => {
  let env: CanvasEnv;
  let t: TestApp;
  let canvas: FakeCanvas;
  let panopto: FakePanopto;

  beforeEach(async () => {
    env = await startCanvasEnv(TOKEN, account, { summarizer: createFakeSummarizer({ text: NOTES }) });
    ({ t, canvas, panopto } = env);
    panopto.sessions.set(panoptoGuid(LECTURE), { kind: 'srt', body: CAPTIONS });
    expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    for (const id of [COURSE, OTHER_COURSE]) {
      expect((await post(`/courses/${id}/modules/refresh`)).statusCode).toBe(200);
    }
  });
  afterEach(async () => {
    await env.close();
  });

  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const search = async (query: Record<string, string | number>) => {
    const params = new URLSearchParams(
      Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]),
    );
    const response = await t.app.inject({ method: 'GET', url: `/search?${params}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      query: string;
      results: Result[];
      total: number;
      limit: number;
      offset: number;
    };
  };
  const ids = (page: { results: Result[] }) => page.results.map((result) => result.item_id);
  const find = (page: { results: Result[] }, id: number) => {
    const found = page.results.find((result) => result.item_id === id);
    if (!found) throw new Error(`item ${id} not among ${JSON.stringify(ids(page))}`);
    return found;
  };
  const fetchTranscript = async (id = LECTURE) => {
    expect((await post(`/items/${id}/fetch-transcript`)).statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
  };
  const summarize = async (id = LECTURE) => {
    expect((await post(`/items/${id}/summarize`)).statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
  };
  const rowsOf = (itemId: number) =>
    t.deps.db.all<{ kind: string }>(sql`select kind from search_rows where item_id = ${itemId} order by id`);

  it('finds titles as soon as a sync stores them, with the title as the snippet', async () => {
    const page = await search({ q: 'gradient' });
    expect(page).toMatchObject({ query: 'gradient', total: 2, limit: 20, offset: 0 });
    expect(ids(page).sort()).toEqual([TITLED, OTHER]);
    expect(find(page, TITLED)).toEqual({
      item_id: TITLED,
      course_id: COURSE,
      module_id: MODULE,
      title: 'Gradient descent, explained',
      type: 'ExternalUrl',
      status: 'DISCOVERED',
      provider: 'panopto',
      match: 'title',
      snippet: '<mark>Gradient</mark> descent, explained',
      start_ms: null,
      start: null,
      link: null,
    });
  });

  it('ranks a title match above a transcript-only match, one result per item', async () => {
    await fetchTranscript();
    const page = await search({ q: 'gradient descent', course_id: COURSE });
    expect(ids(page)).toEqual([TITLED, LECTURE]);
    expect(page.total).toBe(2);
    expect(find(page, LECTURE).match).toBe('transcript');
  });

  it('gives a transcript match the time it was said and a link to the recording there', async () => {
    await fetchTranscript();
    const page = await search({ q: '"state-space model"' });
    expect(ids(page)).toEqual([LECTURE]);
    const hit = find(page, LECTURE);
    expect(hit).toMatchObject({ match: 'transcript', start_ms: 70_000, start: '00:01:10' });
    const link = new URL(hit.link ?? '');
    expect(link.searchParams.get('id')).toBe(panoptoGuid(LECTURE));
    expect(link.searchParams.get('start')).toBe('70');
    expect(hit.snippet).toMatch(/<mark>state-space model<\/mark>/);
    expect(hit.snippet).toContain('Today we study gradient descent on a ');
  });

  it('finds words in notes, with the time of their section', async () => {
    await summarize();
    const aside = find(await search({ q: 'chlorophyll' }), LECTURE);
    expect(aside).toMatchObject({ match: 'notes', start_ms: null, link: null });
    expect(aside.snippet).toContain('<mark>chlorophyll</mark>');

    const section = find(await search({ q: 'convergence' }), LECTURE);
    expect(section).toMatchObject({ match: 'notes', start_ms: 70_000, start: '00:01:10' });
    expect(new URL(section.link ?? '').searchParams.get('start')).toBe('70');
  });

  it('escapes markup from titles and transcripts; only <mark> tags are its own', async () => {
    const title = find(await search({ q: 'alert' }), MARKUP);
    expect(title.snippet).toBe('Lecture 3 &lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;');

    const upload = await t.app.inject({
      method: 'PUT',
      url: `/items/${MARKUP}/transcript`,
      payload: 'We compare <img src=x onerror=alert(2)> & "quoted" pivots \uE000faked\uE001 here.',
      headers: { 'content-type': 'text/plain' },
    });
    expect(upload.statusCode, upload.body).toBe(200);
    const hit = find(await search({ q: 'pivots' }), MARKUP);
    expect(hit.match).toBe('transcript');
    expect(hit.snippet).toContain(
      '&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quoted&quot; <mark>pivots</mark>',
    );
    expect(hit.snippet.replaceAll(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    // The markers a page might fake were stripped before indexing.
    expect(hit.snippet).not.toMatch(/[\uE000\uE001]/);
    expect(hit.snippet.match(/<mark>/g)).toHaveLength(1);
  });

  it('filters by course and by module', async () => {
    expect(ids(await search({ q: 'gradient', course_id: OTHER_COURSE }))).toEqual([OTHER]);
    expect(ids(await search({ q: 'gradient', module_id: MODULE }))).toEqual([TITLED]);
    expect((await search({ q: 'gradient', course_id: 999 })).total).toBe(0);
  });

  it('pages through results and reports the total past the last page', async () => {
    const first = await search({ q: 'gradient OR lecture', limit: 2 });
    expect(first.total).toBe(4);
    expect(first.results).toHaveLength(2);
    const rest = await search({ q: 'gradient OR lecture', limit: 2, offset: 2 });
    expect([...ids(first), ...ids(rest)].sort()).toEqual([TITLED, LECTURE, MARKUP, OTHER].sort());
    expect(await search({ q: 'gradient OR lecture', offset: 10 })).toMatchObject({ results: [], total: 4 });
  });

  it('lets hyphens, apostrophes, prefixes, phrases and OR just work', async () => {
    await fetchTranscript();
    expect(ids(await search({ q: "don't forget" }))).toEqual([LECTURE]);
    expect(ids(await search({ q: 'state-space' }))).toEqual([LECTURE]);
    expect(ids(await search({ q: 'homew*' }))).toEqual([LECTURE]);
    // Word endings: the index stems English words.
    expect(ids(await search({ q: 'studies' }))).toEqual([LECTURE]);
    expect(ids(await search({ q: '"forget the homework"' }))).toEqual([LECTURE]);
    expect(ids(await search({ q: '"homework the forget"' }))).toEqual([]);
    expect(ids(await search({ q: 'chlorophyll OR homework' }))).toEqual([LECTURE]);
    expect(ids(await search({ q: 'homework economics' }))).toEqual([]);
  });

  it('follows a transcript that is replaced: old words gone, new ones found', async () => {
    await fetchTranscript();
    expect(ids(await search({ q: 'homework' }))).toEqual([LECTURE]);
    const upload = await t.app.inject({
      method: 'PUT',
      url: `/items/${LECTURE}/transcript`,
      payload: 'WEBVTT\n\n00:00:05.000 --> 00:00:09.000\nMitochondria produce energy.\n',
      headers: { 'content-type': 'text/vtt' },
    });
    expect(upload.statusCode, upload.body).toBe(200);
    expect(ids(await search({ q: 'homework' }))).toEqual([]);
    const hit = find(await search({ q: 'mitochondria' }), LECTURE);
    // An upload has no recording to link to; its times still say when.
    expect(hit).toMatchObject({ match: 'transcript', start: '00:00:05', link: null });
  });

  it('forgets the transcript and notes of a reset item, keeping its title', async () => {
    await summarize();
    expect(ids(await search({ q: 'homework' }))).toEqual([LECTURE]);
    expect(ids(await search({ q: 'chlorophyll' }))).toEqual([LECTURE]);
    expect((await post(`/items/${LECTURE}/reset`)).statusCode).toBe(200);
    expect(ids(await search({ q: 'homework' }))).toEqual([]);
    expect(ids(await search({ q: 'chlorophyll' }))).toEqual([]);
    expect(find(await search({ q: '"lecture 2"' }), LECTURE).match).toBe('title');
  });

  it('drops items a re-sync removes, and follows renamed titles', async () => {
    await summarize();
    const items = findModule(canvas.state, COURSE, MODULE).items;
    findModule(canvas.state, COURSE, MODULE).items = items.filter((item) => item.id !== LECTURE);
    const renamed = items.find((item) => item.id === TITLED);
    if (renamed) renamed.title = 'Newton steps, explained';
    expect((await post(`/courses/${COURSE}/modules/refresh`)).statusCode).toBe(200);

    expect(ids(await search({ q: 'homework OR chlorophyll OR "lecture 2"' }))).toEqual([]);
    expect(rowsOf(LECTURE)).toEqual([]);
    expect(ids(await search({ q: 'newton' }))).toEqual([TITLED]);
    expect(ids(await search({ q: 'gradient' }))).toEqual([OTHER]);

    canvas.state.courses = canvas.state.courses.filter((course) => course.id !== OTHER_COURSE);
    expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    expect(ids(await search({ q: 'gradient' }))).toEqual([]);
    expect(rowsOf(OTHER)).toEqual([]);
  });

  describe('queries it cannot read', () => {
    const get = (q: string) => t.app.inject({ method: 'GET', url: `/search?${new URLSearchParams({ q })}` });

    it.each([
      ['"', 'is not closed'],
      ['"unclosed phrase', 'is not closed'],
      ['a"b', 'is not closed'],
      ['a OR', 'ends with OR'],
      ['OR a', 'starts with OR'],
      ['a OR OR b', 'twice'],
      ['*', 'on its own'],
      ['-', 'no words'],
      ['()', 'no words'],
    ])('answers %j with 400 search.bad_query', async (q, message) => {
      const response = await get(q);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: { code: 'search.bad_query', message: expect.stringContaining(message) },
      });
    });

    it.each([
      'NEAR(',
      'NEAR(a b, 2)',
      'col:x',
      'title:gradient',
      '^a',
      'a AND',
      'NOT a',
      '{a b}',
      '+ a',
      'a:*',
      '\u00e9t\u00e9 \u5149\u5408\u6210 \u{1F600}x',
      `${'("x" OR -y*:^'.repeat(35)}z`,
    ])('treats %j as words, never a 500', async (q) => {
      const response = await get(q);
      expect(response.statusCode, response.body).toBe(200);
    });

    it('reads FTS5 syntax typed by a user as words', async () => {
      // As a column filter on the index's one column, this would match both gradient titles.
      expect(ids((await get('text:gradient')).json())).toEqual([]);
      expect(ids((await get('gradient, explained')).json())).toEqual([TITLED]);
      expect(ids((await get('NOT gradient')).json())).toEqual([]);
    });

    it('refuses a missing, empty or over-long q as any invalid query', async () => {
      for (const url of ['/search', '/search?q=', '/search?q=%20%20', `/search?q=${'a'.repeat(1000)}`]) {
        const response = await t.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error.code, url).toBe('request.invalid_querystring');
      }
      const unknown = await t.app.inject({ method: 'GET', url: '/search?q=a&sort=date' });
      expect(unknown.statusCode).toBe(400);
      const limit = await t.app.inject({ method: 'GET', url: '/search?q=a&limit=51' });
      expect(limit.statusCode).toBe(400);
    });
  });

  describe('data folders from before the index', () => {
    it('indexes transcripts and notes that have no rows at start-up, once', async () => {
      await summarize();
      t.deps.db.run(sql`delete from search_rows where kind in ('transcript', 'notes')`);
      expect(ids(await search({ q: 'homework OR chlorophyll' }))).toEqual([]);

      expect(await t.deps.backfillSearch()).toEqual({ transcripts: 1, notes: 1 });
      const homework = find(await search({ q: 'homework' }), LECTURE);
      expect(homework).toMatchObject({ match: 'transcript', start: '00:02:30' });
      expect(find(await search({ q: 'convergence' }), LECTURE)).toMatchObject({
        match: 'notes',
        start: '00:01:10',
      });
      const before = rowsOf(LECTURE);
      expect(await t.deps.backfillSearch()).toEqual({ transcripts: 0, notes: 0 });
      expect(rowsOf(LECTURE)).toEqual(before);
    });

    it('skips a file that is gone and indexes the rest', async () => {
      await fetchTranscript();
      const upload = await t.app.inject({
        method: 'PUT',
        url: `/items/${MARKUP}/transcript`,
        payload: 'A reading about pivots.',
        headers: { 'content-type': 'text/plain' },
      });
      expect(upload.statusCode, upload.body).toBe(200);
      t.deps.db.run(sql`delete from search_rows where kind = 'transcript'`);
      await t.deps.files.remove(`transcripts/${LECTURE}.txt`);

      expect(await t.deps.backfillSearch()).toEqual({ transcripts: 1, notes: 0 });
      expect(ids(await search({ q: 'homework' }))).toEqual([]);
      expect(find(await search({ q: 'pivots' }), MARKUP)).toMatchObject({ match: 'transcript', start: null });
    });
  });
});
