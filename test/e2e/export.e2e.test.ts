import { rmSync } from 'node:fs';
import type { LightMyRequestResponse } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { syncDemo } from '../helpers/demo-account.ts';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';
import { COURSE_ID } from '../helpers/lecture-course.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Demo course 101's one module: a header, a lecture, a reading page, a PDF, an assignment, a page embedding a lecture. */
const COURSE = 101;
const MODULE = 1001;
const LECTURE = 10001;
const READING = 10002;
const EMBEDDED_LECTURE = 10005;

const ROOT = 'BIO 101 Introduction to Cell Biology';
const FOLDER = `${ROOT}/01 Week 1 – Membranes`;
const LECTURE_FILE = `${FOLDER}/02 Lecture 1 – The cell membrane (recording)`;
const READING_FILE = `${FOLDER}/03 Week 1 reading guide`;
const EMBEDDED_FILE = `${FOLDER}/06 Week 1 lecture membrane transport`;

const get = (t: TestApp, url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers });

async function run(t: TestApp, ...requests: string[]) {
  for (const url of requests) {
    const response = await t.app.inject({ method: 'POST', url });
    expect(response.statusCode, response.body).toBe(202);
  }
  await t.deps.runner.runUntilEmpty();
}

const unzip = (response: LightMyRequestResponse) =>
  Object.fromEntries(
    Object.entries(unzipSync(response.rawPayload)).map(([name, data]) => [name, strFromU8(data)]),
  );

function frontMatter(content: string | undefined): Record<string, unknown> {
  const match = /^---\n([\s\S]*?\n)---\n\n/.exec(content ?? '');
  expect(match, content?.slice(0, 200)).not.toBeNull();
  return parse(match?.[1] ?? '');
}

/** The notes' lines as they must appear nested under an item heading of level three. */
const nested = (notes: string) =>
  notes
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.replace(/^## /, '#### '));

describe('exports of a course with notes, a transcript and items still to do', () => {
  let t: TestApp;
  let summaries: Map<number, { markdown: string; created_at: string }>;
  beforeAll(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [COURSE]);
    await run(
      t,
      `/items/${LECTURE}/summarize`,
      `/items/${READING}/summarize`,
      `/items/${EMBEDDED_LECTURE}/fetch-transcript`,
    );
    summaries = new Map();
    for (const id of [LECTURE, READING]) {
      summaries.set(id, (await get(t, `/items/${id}/summary`, { accept: 'application/json' })).json());
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives all notes of the course as one Markdown download, in module order, nested under their items', async () => {
    const response = await get(t, `/courses/${COURSE}/notes.md`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${ROOT}.md"`);
    const lines = response.body.split('\n');
    expect(lines.filter((line) => /^#{1,3} /.test(line))).toEqual([
      '# BIO 101: Introduction to Cell Biology',
      '## Week 1 – Membranes',
      '### Lecture 1 – The cell membrane (recording)',
      '### Week 1 reading guide',
    ]);
    // Each item's notes follow its heading whole, their own title dropped and sections demoted.
    const text = lines.filter((line) => line.trim() !== '');
    const titles = [
      [LECTURE, 'Lecture 1 – The cell membrane (recording)'],
      [READING, 'Week 1 reading guide'],
    ] as const;
    for (const [id, title] of titles) {
      const expected = nested(summaries.get(id)?.markdown ?? '');
      expect(expected).toContain('#### Overview');
      const start = text.indexOf(`### ${title}`) + 1;
      expect(text.slice(start, start + expected.length)).toEqual(expected);
    }
    // Honest about what is not there: the PDF has no notes, the embedded lecture only a transcript.
    expect(response.body).toContain('_Notes of 2 of 4 items with a recording or reading._');
    expect(response.body).toContain(
      '_No notes yet for 2 items: Slides\\_Week1.pdf; Week 1 lecture: membrane transport._',
    );
    expect(response.body).not.toContain('Problem set 1');
  });

  it('gives the notes of one module with the items one level up', async () => {
    const response = await get(t, `/modules/${MODULE}/notes.md`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="${ROOT} - Week 1 - Membranes.md"; filename*=UTF-8''` +
        encodeURIComponent(`${ROOT} - Week 1 – Membranes.md`),
    );
    const headings = response.body.split('\n').filter((line) => /^#{1,2} /.test(line));
    expect(headings).toEqual([
      '# BIO 101: Introduction to Cell Biology — Week 1 – Membranes',
      '## Lecture 1 – The cell membrane (recording)',
      '## Week 1 reading guide',
    ]);
    expect(response.body).toContain('\n### Overview\n');
    expect(response.body).toContain('_No notes yet for 2 items:');
  });

  it('zips a vault folder: an index, each module a folder, notes with their transcript beside them', async () => {
    const response = await get(t, `/courses/${COURSE}/export.zip`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/zip');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${ROOT}.zip"`);
    expect(Object.keys(unzip(response))).toEqual([
      `${ROOT}/README.md`,
      `${LECTURE_FILE}.md`,
      `${LECTURE_FILE} (transcript).md`,
      `${READING_FILE}.md`,
      `${READING_FILE} (transcript).md`,
      `${EMBEDDED_FILE} (transcript).md`,
    ]);
  });

  it("writes each file's front matter from the item, its recording and its notes", async () => {
    const files = unzip(await get(t, `/courses/${COURSE}/export.zip`));
    const item = (await get(t, `/items/${LECTURE}`)).json();
    const notes = files[`${LECTURE_FILE}.md`];
    expect(frontMatter(notes)).toEqual({
      title: 'Lecture 1 – The cell membrane (recording)',
      course: 'BIO 101: Introduction to Cell Biology',
      course_id: COURSE,
      module: 'Week 1 – Membranes',
      module_id: MODULE,
      item_id: LECTURE,
      type: 'ExternalUrl',
      source: 'panopto',
      recording: item.media_sources[0].url,
      canvas_url: item.canvas_url,
      date: summaries.get(LECTURE)?.created_at.slice(0, 10),
      tags: ['canvas-notes', 'bio101', 'panopto'],
      kind: 'notes',
      transcript: `[[${LECTURE_FILE} (transcript)]]`,
    });
    expect(notes?.endsWith(summaries.get(LECTURE)?.markdown ?? '-')).toBe(true);
    expect(frontMatter(files[`${READING_FILE}.md`])).toMatchObject({ source: 'reading', recording: null });
  });

  it('puts the transcript beside the notes, linking back to them', async () => {
    const files = unzip(await get(t, `/courses/${COURSE}/export.zip`));
    const transcript = files[`${LECTURE_FILE} (transcript).md`];
    expect(frontMatter(transcript)).toMatchObject({
      item_id: LECTURE,
      kind: 'transcript',
      notes: `[[${LECTURE_FILE}]]`,
      tags: ['canvas-notes', 'bio101', 'panopto', 'transcript'],
    });
    const text = (await get(t, `/items/${LECTURE}/transcript`)).body;
    expect(transcript).toContain(
      `\n# Lecture 1 – The cell membrane (recording) (transcript)\n\n${text.trim()}\n`,
    );
    // A transcript without notes yet links to none.
    expect(frontMatter(files[`${EMBEDDED_FILE} (transcript).md`])).toMatchObject({
      item_id: EMBEDDED_LECTURE,
      notes: null,
    });
    // The index links to files that are there.
    const index = files[`${ROOT}/README.md`] ?? '';
    const targets = [...index.matchAll(/\[\[([^\]|]+)/g)].map((match) => `${match[1]}.md`);
    expect(targets).toEqual(Object.keys(files).slice(1));
  });

  it('gives the same names and the same bytes on a second export', async () => {
    const first = await get(t, `/courses/${COURSE}/export.zip`);
    const second = await get(t, `/courses/${COURSE}/export.zip`);
    expect(Object.keys(unzip(second))).toEqual(Object.keys(unzip(first)));
    expect(second.rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it.each([
    [`/courses/999999/notes.md`, 'course.not_found'],
    [`/modules/999999/notes.md`, 'module.not_found'],
    [`/courses/999999/export.zip`, 'course.not_found'],
  ])('answers %s with a 404 in the error shape', async (url, code) => {
    const response = await get(t, url);
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });

  it.each([`/courses/abc/notes.md`, `/modules/0/notes.md`, `/courses/1e3/export.zip`])(
    'answers the malformed id of %s with a 400',
    async (url) => {
      const response = await get(t, url);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: { code: 'request.invalid_params', message: expect.any(String) },
      });
    },
  );
});

describe('exports as notes are added and lost', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('keeps every file name when more items get notes, so a later export overwrites the earlier one', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [COURSE]);
    await run(t, `/items/${LECTURE}/summarize`);
    const before = unzip(await get(t, `/courses/${COURSE}/export.zip`));
    await run(t, `/items/${READING}/summarize`, `/items/${EMBEDDED_LECTURE}/summarize`);
    const after = unzip(await get(t, `/courses/${COURSE}/export.zip`));
    const names = (files: Record<string, string>) =>
      Object.keys(files).filter((name) => !name.endsWith('README.md'));
    expect(names(before)).toEqual([`${LECTURE_FILE}.md`, `${LECTURE_FILE} (transcript).md`]);
    expect(names(after)).toEqual(expect.arrayContaining(names(before)));
    expect(names(after)).toContain(`${EMBEDDED_FILE}.md`);
    expect(after[`${LECTURE_FILE}.md`]).toBe(before[`${LECTURE_FILE}.md`]);
  });

  it('leaves out notes whose file is gone, says so and logs it, and still exports the rest', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [COURSE]);
    await run(t, `/items/${LECTURE}/summarize`);
    rmSync((await get(t, `/items/${LECTURE}`)).json().summary_path);

    const doc = await get(t, `/courses/${COURSE}/notes.md`);
    expect(doc.statusCode).toBe(200);
    expect(doc.body).toContain(
      '_Notes of 1 item are missing from the data folder (summarize again to write them): ' +
        'Lecture 1 – The cell membrane (recording)._',
    );
    expect(doc.body).not.toContain('### Lecture 1');
    const files = unzip(await get(t, `/courses/${COURSE}/export.zip`));
    expect(Object.keys(files)).toEqual([`${ROOT}/README.md`, `${LECTURE_FILE} (transcript).md`]);
    expect(frontMatter(files[`${LECTURE_FILE} (transcript).md`])).toMatchObject({ notes: null });
    const warnings = t.logs
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.level === 40 && entry.module === 'export');
    expect(warnings).toContainEqual(expect.objectContaining({ itemId: LECTURE, kind: 'summary' }));
  });
});

describe('exports of a course with several modules', () => {
  let env: JobsEnv;
  beforeAll(async () => {
    // Lectures 1–2 and the reading in "Lectures", lecture 3 in "More lectures".
    env = await startJobsEnv({ lectures: 3, perModule: 2 });
    expect((await env.post(`/courses/${COURSE_ID}/summarize`)).statusCode).toBe(202);
    await env.t.deps.runner.runUntilEmpty();
  });
  afterAll(async () => {
    await env.close();
  });

  it('follows the modules and items in Canvas order', async () => {
    const doc = (await env.get(`/courses/${COURSE_ID}/notes.md`)).body;
    expect(doc.split('\n').filter((line) => /^#{1,3} /.test(line))).toEqual([
      '# NEURO 240: Membranes',
      '## Lectures',
      '### Lecture 1 (Panopto)',
      '### Lecture 2 (Panopto)',
      '## More lectures',
      '### Lecture 3 (Panopto)',
    ]);
    expect(doc).toContain('_No notes yet for 1 item: Reading._');

    const files = unzip(await env.get(`/courses/${COURSE_ID}/export.zip`));
    expect(Object.keys(files).filter((name) => !name.includes('(transcript)'))).toEqual([
      'NEURO 240 Membranes/README.md',
      'NEURO 240 Membranes/01 Lectures/01 Lecture 1 (Panopto).md',
      'NEURO 240 Membranes/01 Lectures/02 Lecture 2 (Panopto).md',
      'NEURO 240 Membranes/02 More lectures/01 Lecture 3 (Panopto).md',
    ]);
  });
});
