import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCanvas, panoptoGuid, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * A Page embedding two Panopto recordings, each starting at 00:00:00: the transcript's JSON
 * says which recording each segment is from, in the order of the text's `## heading`s.
 */

const COURSE = 7301;
const PAGE_ITEM = 73_001;
const FIRST = panoptoGuid(1);
const SECOND = panoptoGuid(2);

let panopto: FakePanopto;
let canvas: FakeCanvas;
let t: TestApp;

// `>>` (a new speaker) starts a paragraph, so each line is a segment of its own.
const lines = (said: string[]) =>
  said.map((line, index) => ({ Caption: `>> ${line}`, Time: index * 4, Duration: 4 }));

beforeAll(async () => {
  panopto = await startFakePanopto();
  panopto.sessions.set(FIRST, {
    kind: 'delivery',
    tracks: [{ language: 0, lines: lines(['Enzymes lower barriers.', 'They are not used up.']) }],
  });
  panopto.sessions.set(SECOND, {
    kind: 'delivery',
    tracks: [{ language: 0, lines: lines(['Kinetics come next.', 'Michaelis and Menten.']) }],
  });
  const embed = (id: string, title: string) =>
    `<iframe title="${title}" src="${panopto.origin}/Panopto/Pages/Embed.aspx?id=${id}&amp;autoplay=false"></iframe>`;
  canvas = await startFakeCanvas({
    state: {
      courses: [
        {
          id: COURSE,
          name: 'BIO 202',
          course_code: 'BIO202',
          workflow_state: 'available',
          term: null,
          pages: [
            {
              url: 'week-2',
              title: 'Week 2',
              body: `<p>${embed(FIRST, 'Enzymes')}</p><p>${embed(SECOND, 'Kinetics')}</p>`,
            },
          ],
          modules: [
            {
              id: 7302,
              name: 'Week 2',
              items: [{ id: PAGE_ITEM, title: 'Week 2 lectures', type: 'Page', page_url: 'week-2' }],
            },
          ],
        },
      ],
    },
  });
  t = await createTestApp({
    config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: canvas.token, timeoutMs: 2_000 } },
  });
  for (const url of ['/me/courses/refresh', `/courses/${COURSE}/modules/refresh`]) {
    const response = await t.app.inject({ method: 'POST', url });
    expect(response.statusCode, response.body).toBe(200);
  }
  const fetched = await t.app.inject({ method: 'POST', url: `/items/${PAGE_ITEM}/fetch-transcript` });
  expect(fetched.statusCode, fetched.body).toBe(202);
  await t.deps.runner.runUntilEmpty();
});

afterAll(async () => {
  await t?.close();
  await Promise.all([canvas?.close(), panopto?.close()]);
});

type Segment = { start: string | null; text: string; link: string | null; source: number };

describe('the transcript of an item holding several recordings', () => {
  it('gives each segment the index of its recording, in the order of the headings', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/items/${PAGE_ITEM}/transcript`,
      headers: { accept: 'application/json' },
    });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(body.segments.map((segment: Segment) => [segment.start, segment.text, segment.source])).toEqual([
      ['00:00:00', 'Enzymes lower barriers.', 0],
      ['00:00:04', 'They are not used up.', 0],
      ['00:00:00', 'Kinetics come next.', 1],
      ['00:00:04', 'Michaelis and Menten.', 1],
    ]);
    // Either recording could be meant by a time: none is linked.
    expect(body.segments.every((segment: Segment) => segment.link === null)).toBe(true);
    expect(body.sources).toEqual([
      { heading: 'Enzymes', provider: 'panopto', url: expect.stringContaining(FIRST) },
      { heading: 'Kinetics', provider: 'panopto', url: expect.stringContaining(SECOND) },
    ]);
    // The text's sections, in the same order: `source` n is the n-th `## heading`.
    expect(body.text).toBe(
      [
        '## Enzymes',
        '[00:00:00] Enzymes lower barriers.',
        '[00:00:04] They are not used up.',
        '## Kinetics',
        '[00:00:00] Kinetics come next.',
        '[00:00:04] Michaelis and Menten.',
      ].join('\n\n'),
    );
  });
});
