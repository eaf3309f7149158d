import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCanvas, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { COURSE_ID, ITEM_ID, RECORDINGS, twoRecordingsCourse } from '../helpers/two-recordings-course.ts';

/**
 * A Page embedding two Panopto recordings, each starting at 00:00:00: the transcript's JSON
 * says which recording each segment is from, in the order of the text's `## heading`s.
 */

const FIRST = RECORDINGS[0].guid;
const SECOND = RECORDINGS[1].guid;

let panopto: FakePanopto;
let canvas: FakeCanvas;
let t: TestApp;

beforeAll(async () => {
  panopto = await startFakePanopto();
  const course = twoRecordingsCourse({ panoptoOrigin: panopto.origin });
  course.serveAll(panopto);
  canvas = await startFakeCanvas({ state: course.state });
  t = await createTestApp({
    config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: canvas.token, timeoutMs: 2_000 } },
  });
  for (const url of ['/me/courses/refresh', `/courses/${COURSE_ID}/modules/refresh`]) {
    const response = await t.app.inject({ method: 'POST', url });
    expect(response.statusCode, response.body).toBe(200);
  }
  const fetched = await t.app.inject({ method: 'POST', url: `/items/${ITEM_ID}/fetch-transcript` });
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
      url: `/items/${ITEM_ID}/transcript`,
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
