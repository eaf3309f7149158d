import type { LightMyRequestResponse } from 'fastify';
import type { DepsOverrides } from '../../src/deps.ts';
import { type FakeCanvas, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { COURSE_ID, type LectureCourse, lectureCourse } from './lecture-course.ts';
import { createTestApp, type TestApp } from './test-app.ts';

export interface JobsEnv {
  t: TestApp;
  panopto: FakePanopto;
  canvas: FakeCanvas;
  course: LectureCourse;
  post(url: string): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * A test app synced with a fake Canvas course of `lectures` Panopto recordings, each served by a
 * fake Panopto as plain SRT. The runner is not started.
 */
export async function startJobsEnv(options: {
  lectures: number;
  perModule?: number;
  concurrency?: number;
  overrides?: (panopto: FakePanopto) => DepsOverrides;
}): Promise<JobsEnv> {
  const panopto = await startFakePanopto();
  const course = lectureCourse({
    panoptoOrigin: panopto.origin,
    lectures: options.lectures,
    perModule: options.perModule,
  });
  course.serveAll(panopto);
  const canvas = await startFakeCanvas({ state: course.state });
  const t = await createTestApp({
    config: {
      demo: false,
      canvas: { baseUrl: canvas.baseUrl, token: canvas.token, timeoutMs: 2_000 },
      jobs: { concurrency: options.concurrency ?? 2 },
    },
    overrides: options.overrides?.(panopto),
  });
  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  for (const url of ['/me/courses/refresh', `/courses/${COURSE_ID}/modules/refresh`]) {
    const response = await post(url);
    if (response.statusCode !== 200)
      throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
  }
  return {
    t,
    panopto,
    canvas,
    course,
    post,
    get,
    async close() {
      await t.close();
      await canvas.close();
      await panopto.close();
    },
  };
}
