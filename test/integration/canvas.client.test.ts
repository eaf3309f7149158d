import { afterEach, describe, expect, it } from 'vitest';
import { createCanvasClient } from '../../src/canvas/canvas.client.ts';
import { canvasQuery, normaliseCanvasBaseUrl } from '../../src/canvas/canvas.url.ts';
import { findCourse, findModule, generateItems } from '../fakes/fake-canvas-server.ts';
import {
  type CanvasTestContext,
  rejectionOf,
  SECRET_TOKEN,
  startCanvasTest,
} from '../helpers/canvas-client.ts';

let ctx: CanvasTestContext | undefined;
afterEach(async () => {
  await ctx?.canvas.close();
  ctx = undefined;
});

const BIO = 48213;

describe('canvas client: listing and pagination', () => {
  it('syncs a course of 30 modules whose items come separately without a Node warning', async () => {
    ctx = await startCanvasTest({ inlineItemsThreshold: 0 });
    const { canvas, client } = ctx;
    const course = findCourse(canvas.state, BIO);
    course.modules = Array.from({ length: 30 }, (_, index) => ({
      id: 90_000 + index,
      name: `Week ${index + 1}`,
      items: generateItems({ count: 2, firstId: 900_000 + index * 10 }),
    }));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const modules = await client.listModulesWithItems(BIO, { signal: new AbortController().signal });
      expect(modules).toHaveLength(30);
      expect(modules.every((module) => module.items.length === 2)).toBe(true);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('lists every course across a multi-page Link chain, asking for 100 per page and dropping restricted stubs', async () => {
    ctx = await startCanvasTest();
    const { canvas, client } = ctx;
    const template = structuredClone(canvas.state.courses[0]);
    if (!template) throw new Error('fixture has no courses');
    for (let i = 0; i < 230; i += 1) {
      canvas.state.courses.push({
        ...structuredClone(template),
        id: 60000 + i,
        name: `Extra ${i}`,
      });
    }

    const courses = await client.listCourses();

    expect(courses).toHaveLength(233);
    expect(courses.map((c) => c.id)).not.toContain(47002);
    expect(courses[0]).toMatchObject({ id: BIO, name: 'BIO 201: Cell Biology', term: { name: 'Fall 2025' } });
    expect(canvas.requests.map((r) => r.query.get('page'))).toEqual([null, '2', '3']);
    for (const request of canvas.requests) {
      expect(request.query.get('per_page')).toBe('100');
      expect(request.query.getAll('include[]')).toEqual(['term']);
      expect(request.authorization).toBe(`Bearer ${SECRET_TOKEN}`);
    }
    expect(client.stats().requests).toBe(3);
  });

  it('follows next links verbatim instead of computing page numbers', async () => {
    ctx = await startCanvasTest();
    const { canvas, client } = ctx;
    const next = `/api/v1/courses?page=bookmark:WyJvcGFxdWUiXQ&per_page=100&marker=%5Bkeep%5D`;
    canvas.failNext('/api/v1/courses', {
      kind: 'respond',
      status: 200,
      body: [{ id: 1, name: 'First page course' }],
      headers: { Link: `<${canvas.baseUrl}${next}>; rel="next"` },
    });
    canvas.failNext('/api/v1/courses', {
      kind: 'respond',
      status: 200,
      body: [{ id: 2, name: 'Second page course' }],
    });

    const courses = await client.listCourses();

    expect(courses.map((c) => c.id)).toEqual([1, 2]);
    expect(canvas.requests[1]?.url).toBe(next);
  });

  it('follows bookmark pages of a large module and keeps Canvas order', async () => {
    ctx = await startCanvasTest();
    const { canvas, client } = ctx;
    const module = findModule(canvas.state, BIO, 902114);
    module.items = generateItems({ count: 250, firstId: 700000 });

    const modules = await client.listModulesWithItems(BIO);

    const items = modules.find((m) => m.id === 902114)?.items ?? [];
    expect(items.map((i) => i.id)).toEqual(module.items.map((i) => i.id));
    expect(items.map((i) => i.position)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    const itemPages = canvas.requests.filter((r) => r.path.endsWith('/modules/902114/items'));
    expect(itemPages.map((r) => r.query.get('page')?.startsWith('bookmark:') ?? false)).toEqual([
      false,
      true,
      true,
    ]);
    expect(canvas.requests).toHaveLength(4);
  });
});

describe('canvas client: modules', () => {
  it('uses a single request when Canvas inlines every module’s items', async () => {
    ctx = await startCanvasTest();
    const modules = await ctx.client.listModulesWithItems(BIO);

    expect(modules.map((m) => [m.id, m.items.length])).toEqual([
      [902113, 4],
      [902114, 6],
      [902115, 3],
    ]);
    expect(modules[1]?.items[2]).toMatchObject({
      type: 'ExternalUrl',
      external_url: expect.stringContaining('/rec/share/'),
    });
    expect(ctx.canvas.requests).toHaveLength(1);
    expect(ctx.canvas.requests[0]?.query.getAll('include[]')).toEqual(['items', 'content_details']);
    expect(ctx.canvas.requests[0]?.query.get('per_page')).toBe('100');
  });

  it('fetches items only for modules whose items Canvas left out, one request each', async () => {
    ctx = await startCanvasTest({ inlineItemsThreshold: 3 });
    const { canvas, client } = ctx;

    const modules = await client.listModulesWithItems(BIO);

    for (const module of modules) {
      expect(module.items.map((i) => i.id)).toEqual(
        findModule(canvas.state, BIO, module.id).items.map((i) => i.id),
      );
    }
    const itemRequests = canvas.requests.filter((r) => r.path.endsWith('/items'));
    expect(itemRequests.map((r) => r.path).sort()).toEqual([
      `/api/v1/courses/${BIO}/modules/902113/items`,
      `/api/v1/courses/${BIO}/modules/902114/items`,
    ]);
    for (const request of itemRequests) {
      expect(request.query.getAll('include[]')).toEqual(['content_details']);
      expect(request.query.get('per_page')).toBe('100');
    }
    expect(canvas.requests).toHaveLength(3);
    expect(client.stats().requests).toBe(3);
  });

  it('fetches items for a module whose inline items are fewer than items_count', async () => {
    ctx = await startCanvasTest();
    const { canvas, client } = ctx;
    const item = { id: 1, module_id: 10, position: 1, title: 'Only one', type: 'Page', page_url: 'only-one' };
    canvas.failNext('/api/v1/courses/48213/modules', {
      kind: 'respond',
      status: 200,
      body: [
        { id: 10, name: 'Short', position: 1, items_count: 2, items: [item] },
        { id: 11, name: 'Complete', position: 2, items_count: 1, items: [{ ...item, id: 2, module_id: 11 }] },
      ],
    });
    canvas.failNext('/api/v1/courses/48213/modules/10/items', {
      kind: 'respond',
      status: 200,
      body: [item, { ...item, id: 3, position: 2, title: 'Second' }],
    });

    const modules = await client.listModulesWithItems(BIO);

    expect(modules.map((m) => m.items.map((i) => i.id))).toEqual([[1, 3], [2]]);
    expect(canvas.requests.map((r) => r.path)).toEqual([
      '/api/v1/courses/48213/modules',
      '/api/v1/courses/48213/modules/10/items',
    ]);
  });

  it('names canvas-notes in the User-Agent and asks for JSON on every request', async () => {
    const seen: Headers[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    ctx = await startCanvasTest({ inlineItemsThreshold: 1 }, { fetch: recordingFetch });
    await ctx.client.listModulesWithItems(BIO);
    expect(seen.length).toBeGreaterThan(1);
    for (const headers of seen) {
      expect(headers.get('user-agent')).toMatch(/^canvas-notes\//);
      expect(headers.get('accept')).toBe('application/json');
    }
  });

  it('runs per-module item requests concurrently, bounded by the concurrency limit', async () => {
    ctx = await startCanvasTest({ inlineItemsThreshold: 1 }, { concurrency: 2 });
    const { canvas, client } = ctx;
    canvas.failAlways(/\/items/, { kind: 'delay', ms: 1000 });

    await client.listModulesWithItems(BIO);

    const arrivals = canvas.requests.filter((r) => r.path.endsWith('/items')).map((r) => r.at);
    const [first = 0, second = 0, third = 0] = arrivals;
    expect(arrivals).toHaveLength(3);
    // The second request arrives long before the first one's 1 s answer: they ran in parallel.
    expect(second - first).toBeLessThan(500);
    // The third waits for a free slot, i.e. for one of the first two answers.
    expect(third - first).toBeGreaterThanOrEqual(900);
  });

  it('gets one module, falling back to its items endpoint when items are left out', async () => {
    ctx = await startCanvasTest({ inlineItemsThreshold: 3 });
    const module = await ctx.client.getModuleWithItems(BIO, 902114);

    expect(module).toMatchObject({ id: 902114, name: 'Week 3 – Membranes', items_count: 6 });
    expect(module.items.map((i) => i.type)).toEqual([
      'SubHeader',
      'ExternalTool',
      'ExternalUrl',
      'Page',
      'File',
      'Assignment',
    ]);
    expect(ctx.canvas.requests.map((r) => r.path)).toEqual([
      '/api/v1/courses/48213/modules/902114',
      '/api/v1/courses/48213/modules/902114/items',
    ]);
  });
});

describe('canvas client: single resources and URLs', () => {
  it('gets a course and a page, URL-encoding the page slug', async () => {
    ctx = await startCanvasTest();
    const { canvas, client } = ctx;
    findCourse(canvas.state, BIO).pages.push({ url: 'notes week/3', title: 'Odd slug', body: '<p>x</p>' });

    expect(await client.getCourse(BIO)).toMatchObject({ id: BIO, course_code: 'BIO201-F25' });
    expect(await client.getPage(BIO, 'week-3-lecture-notes')).toMatchObject({
      title: 'Week 3 lecture notes',
    });
    expect(await client.getPage(BIO, 'notes week/3')).toMatchObject({ title: 'Odd slug' });
    expect(canvas.requests[2]?.path).toBe('/api/v1/courses/48213/pages/notes%20week%2F3');
  });

  it('accepts a base URL that already ends in /api/v1/', async () => {
    ctx = await startCanvasTest();
    const client = createCanvasClient({ baseUrl: `${ctx.canvas.baseUrl}/api/v1/`, token: SECRET_TOKEN });
    await client.getCourse(BIO);
    expect(ctx.canvas.requests[0]?.path).toBe('/api/v1/courses/48213');
  });

  it('normalises base URLs and serialises bracket query arrays', () => {
    expect(normaliseCanvasBaseUrl('https://canvas.school.edu/api/v1/')).toBe('https://canvas.school.edu');
    expect(normaliseCanvasBaseUrl('https://canvas.school.edu//')).toBe('https://canvas.school.edu');
    expect(normaliseCanvasBaseUrl('https://school.edu/canvas/api/v1?x=1')).toBe('https://school.edu/canvas');
    expect(canvasQuery({ include: ['items', 'content_details'], per_page: 100, skip: undefined })).toBe(
      'include[]=items&include[]=content_details&per_page=100',
    );
    expect(canvasQuery({ search_term: 'a&b c' })).toBe('search_term=a%26b%20c');
  });

  it('refuses to send the token to a host named by a foreign next link', async () => {
    ctx = await startCanvasTest();
    const fetched: string[] = [];
    const spy: typeof fetch = (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    };
    const client = createCanvasClient({ baseUrl: ctx.canvas.baseUrl, token: SECRET_TOKEN, fetch: spy });
    ctx.canvas.failNext('/api/v1/courses', {
      kind: 'respond',
      status: 200,
      body: [],
      headers: { Link: '<http://evil.example/api/v1/courses?page=2>; rel="next"' },
    });

    const error = await rejectionOf(client.listCourses());

    expect(error).toMatchObject({ code: 'canvas.bad_response' });
    expect(fetched).toHaveLength(1);
    expect(fetched.some((url) => url.includes('evil.example'))).toBe(false);
  });
});
