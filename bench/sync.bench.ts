import { performance } from 'node:perf_hooks';
import { createCanvasClient } from '../src/canvas/canvas.client.ts';
import type { FakeCanvasState, FakeModule } from '../test/fakes/fake-canvas.fixture.ts';
import { generateItems, startFakeCanvas } from '../test/fakes/fake-canvas-server.ts';

/**
 * Canvas requests used by a full sync, against the minimum for the account: one page per 100
 * courses, one page per 100 modules of each course, and for each module whose items Canvas
 * leaves out (more than 100), one page per 100 of its items. The naive baseline is what a
 * straightforward client does: default page size, and every module's items fetched separately.
 */
const COURSES = 4;
const MODULES_PER_COURSE = 14;
const BIG_MODULES: Record<number, number> = { 0: 150, 5: 260 };
const SMALL_MODULE_ITEMS = 9;
const SIMULATED_LATENCY_MS = 20;

function buildAccount(): FakeCanvasState {
  let nextId = 1_000_000;
  return {
    courses: Array.from({ length: COURSES }, (_, c) => ({
      id: 500 + c,
      name: `Course ${c + 1}`,
      course_code: `C${c + 1}`,
      workflow_state: 'available',
      term: { id: 1, name: 'Bench term' },
      pages: [],
      modules: Array.from({ length: MODULES_PER_COURSE }, (_, m): FakeModule => {
        const count = BIG_MODULES[m] ?? SMALL_MODULE_ITEMS;
        const items = generateItems({ count, firstId: nextId });
        nextId += count;
        return { id: 9000 + c * 100 + m, name: `Week ${m + 1}`, items };
      }),
    })),
  };
}

function minimumRequests(state: FakeCanvasState): number {
  let total = Math.ceil(state.courses.length / 100);
  for (const course of state.courses) {
    total += Math.max(1, Math.ceil(course.modules.length / 100));
    for (const module of course.modules) {
      if (module.items.length > 100) total += Math.ceil(module.items.length / 100);
    }
  }
  return total;
}

async function naiveSync(baseUrl: string, token: string): Promise<void> {
  const getAll = async (url: string): Promise<unknown[]> => {
    const out: unknown[] = [];
    let next: string | null = url;
    while (next) {
      const response: Response = await fetch(next, { headers: { authorization: `Bearer ${token}` } });
      out.push(...((await response.json()) as unknown[]));
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1] ?? null;
    }
    return out;
  };
  const courses = (await getAll(`${baseUrl}/api/v1/courses`)) as Array<{ id: number }>;
  for (const course of courses) {
    const modules = (await getAll(`${baseUrl}/api/v1/courses/${course.id}/modules`)) as Array<{ id: number }>;
    for (const module of modules)
      await getAll(`${baseUrl}/api/v1/courses/${course.id}/modules/${module.id}/items`);
  }
}

export async function benchSync(): Promise<{ name: string; lines: string[] }> {
  const canvas = await startFakeCanvas({ state: buildAccount() });
  // Every answer waits a fixed round trip, as a real Canvas across the internet would.
  canvas.failAlways(() => true, { kind: 'delay', ms: SIMULATED_LATENCY_MS });
  try {
    const minimum = minimumRequests(canvas.state);

    const client = createCanvasClient({ baseUrl: canvas.baseUrl, token: canvas.token, concurrency: 3 });
    let started = performance.now();
    const courses = await client.listCourses();
    await Promise.all(courses.map((course) => client.listModulesWithItems(course.id)));
    const oursMs = performance.now() - started;
    const ours = canvas.requests.length;

    canvas.requests.length = 0;
    started = performance.now();
    await naiveSync(canvas.baseUrl, canvas.token);
    const naiveMs = performance.now() - started;
    const naive = canvas.requests.length;

    const items = canvas.state.courses.flatMap((c) => c.modules).reduce((n, m) => n + m.items.length, 0);
    return {
      name: 'Canvas full sync',
      lines: [
        `account: ${COURSES} courses, ${COURSES * MODULES_PER_COURSE} modules, ${items} items`,
        `requests used ÷ minimum: ${(ours / minimum).toFixed(2)} (${ours} of ${minimum})`,
        `naive client ÷ minimum:  ${(naive / minimum).toFixed(2)} (${naive} of ${minimum})`,
        `wall time, naive ÷ ours (${SIMULATED_LATENCY_MS} ms per request): ${(naiveMs / oursMs).toFixed(1)} (${Math.round(naiveMs)} ms vs ${Math.round(oursMs)} ms)`,
      ],
    };
  } finally {
    await canvas.close();
  }
}
