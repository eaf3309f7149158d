import { describe, expect, it } from 'vitest';
import {
  createCanvasForbiddenError,
  createCanvasUnauthorizedError,
  createCanvasUnavailableError,
} from '../canvas/canvas.errors.ts';
import type { CanvasApi, CanvasFile, CanvasModuleItem, CanvasPage } from '../canvas/canvas.schemas.ts';
import { createSilentLogger } from '../shared/logger.ts';
import { createTranscriptProviders } from '../transcripts/providers.registry.ts';
import { createContentDiscovery, type Discovery } from './content-discovery.ts';

const PANOPTO = 'https://school.hosted.panopto.com';
const SESSION = '3f2c9a7e-5b1d-4e08-9c6a-b2e100f4d7a1';

/** A Canvas stand-in that counts what discovery asks of it. */
function inMemoryCanvas(options: {
  pages: Record<string, CanvasPage>;
  files?: Record<number, CanvasFile>;
  index?: 'disabled';
}) {
  const calls = { listPages: 0, getPage: [] as string[], getFile: [] as number[] };
  const refuse = () => Promise.reject(new Error('not expected'));
  const canvas: CanvasApi = {
    listCourses: refuse,
    getCourse: refuse,
    listModulesWithItems: refuse,
    getModuleWithItems: refuse,
    listMediaTracks: refuse,
    downloadFile: refuse,
    async listPages() {
      calls.listPages += 1;
      if (options.index === 'disabled') return null;
      return Object.values(options.pages).map((page) => ({ url: page.url, updated_at: page.updated_at }));
    },
    async getPage(_courseId, slug) {
      calls.getPage.push(slug);
      const page = options.pages[slug];
      if (!page) throw createCanvasForbiddenError();
      return page;
    },
    async getFile(_courseId, id) {
      calls.getFile.push(id);
      const file = options.files?.[id];
      if (!file) throw createCanvasForbiddenError();
      return file;
    },
  };
  return { canvas, calls };
}

const page = (url: string, body: string, updatedAt = '2026-09-01T10:00:00Z'): CanvasPage => ({
  url,
  title: url,
  body,
  updated_at: updatedAt,
});

const item = (id: number, fields: Partial<CanvasModuleItem>): CanvasModuleItem => ({
  id,
  module_id: 1,
  position: id,
  title: `Item ${id}`,
  type: 'Page',
  ...fields,
});

function discoveryFor(canvas: CanvasApi) {
  const providers = createTranscriptProviders({ canvas });
  return createContentDiscovery({ canvas, providers, logger: createSilentLogger() });
}

const refsOf = (found: Discovery | undefined) =>
  found?.kind === 'found' ? found.refs.map((ref) => `${ref.provider}:${ref.ref}`) : found?.kind;

describe('content discovery', () => {
  const lecturePage = page(
    'week-3',
    `<p><iframe title="Lecture 3" src="${PANOPTO}/Panopto/Pages/Embed.aspx?id=${SESSION}&amp;autoplay=false"></iframe></p>` +
      '<p><iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"></iframe></p>',
  );
  const readingPage = page('reading', '<h2>Before Thursday</h2><p>Read chapter 3.</p>');
  const items = [
    item(1, { page_url: 'week-3' }),
    item(2, { page_url: 'reading' }),
    item(3, { type: 'ExternalTool', external_url: `${PANOPTO}/Panopto/LTI/LTI.aspx` }),
    item(4, { type: 'File', content_id: 77 }),
    item(5, { type: 'Assignment' }),
  ];
  const files: Record<number, CanvasFile> = {
    77: { id: 77, display_name: 'Week 3 notes.pdf', 'content-type': 'application/pdf', size: 1000 },
  };

  it('reads each page and file once on a first sync, without the index, and finds what they hold', async () => {
    const { canvas, calls } = inMemoryCanvas({
      pages: { 'week-3': lecturePage, reading: readingPage },
      files,
    });
    const found = await discoveryFor(canvas).discover(1, items, new Map());
    expect(calls).toEqual({ listPages: 0, getPage: ['week-3', 'reading'], getFile: [77] });
    expect(refsOf(found.get(1))).toEqual([`panopto:${SESSION}`, 'youtube:dQw4w9WgXcQ']);
    expect(refsOf(found.get(2))).toEqual(['reading:page:reading']);
    expect(refsOf(found.get(4))).toEqual(['reading:file:77']);
    expect(refsOf(found.get(5))).toEqual([]);
    const lti = found.get(3);
    expect(lti).toMatchObject({ kind: 'found', refs: [], unusable: { code: 'panopto.no_session_id' } });
    expect(found.get(1)).toMatchObject({ contentVersion: '2026-09-01T10:00:00Z' });
  });

  it('reads no page or file again on a re-sync when nothing changed, and only the changed page otherwise', async () => {
    const { canvas, calls } = inMemoryCanvas({
      pages: { 'week-3': lecturePage, reading: { ...readingPage, updated_at: '2026-10-02T09:00:00Z' } },
      files,
    });
    const known = new Map<number, string | null>([
      [1, '2026-09-01T10:00:00Z'],
      [2, '2026-09-01T10:00:00Z'],
      [4, 'file:77'],
    ]);
    const found = await discoveryFor(canvas).discover(1, items, known);
    expect(calls).toEqual({ listPages: 1, getPage: ['reading'], getFile: [] });
    expect(found.get(1)).toEqual({ kind: 'kept' });
    expect(found.get(4)).toEqual({ kind: 'kept' });
    expect(refsOf(found.get(2))).toEqual(['reading:page:reading']);
  });

  it('reads every page when the Pages index is disabled for students', async () => {
    const { canvas, calls } = inMemoryCanvas({
      pages: { 'week-3': lecturePage, reading: readingPage },
      files,
      index: 'disabled',
    });
    const known = new Map<number, string | null>([
      [1, '2026-09-01T10:00:00Z'],
      [2, '2026-09-01T10:00:00Z'],
    ]);
    await discoveryFor(canvas).discover(1, items.slice(0, 2), known);
    expect(calls).toEqual({ listPages: 1, getPage: ['week-3', 'reading'], getFile: [] });
  });

  it('keeps what was found before when a page can no longer be read, but fails on a revoked token', async () => {
    const { canvas } = inMemoryCanvas({ pages: {} });
    const discovery = discoveryFor(canvas);
    const found = await discovery.discover(1, [item(1, { page_url: 'locked' })], new Map());
    expect(found.get(1)).toMatchObject({ kind: 'kept' });

    canvas.getPage = () => Promise.reject(createCanvasUnauthorizedError());
    await expect(discovery.discover(1, [item(1, { page_url: 'x' })], new Map())).rejects.toMatchObject({
      code: 'canvas.unauthorized',
    });
  });

  it('does not ask again for a page or file Canvas refused, until it changes; an outage is retried', async () => {
    const { canvas, calls } = inMemoryCanvas({ pages: { reading: readingPage } });
    const discovery = discoveryFor(canvas);
    const unpublished = item(1, { page_url: 'unpublished' });
    const file = item(2, { type: 'File', content_id: 78 });
    const known = item(3, { page_url: 'reading' });
    const first = await discovery.discover(1, [unpublished, file, known], new Map());
    expect(first.get(1)).toEqual({ kind: 'kept', contentVersion: 'unlisted' });
    expect(first.get(2)).toEqual({ kind: 'kept', contentVersion: 'file:78' });

    const versions = new Map<number, string | null>([
      [1, 'unlisted'],
      [2, 'file:78'],
      [3, readingPage.updated_at ?? null],
    ]);
    calls.getPage.length = 0;
    calls.getFile.length = 0;
    await discovery.discover(1, [unpublished, file, known], versions);
    expect(calls).toMatchObject({ getPage: [], getFile: [] });

    canvas.getFile = () => Promise.reject(createCanvasUnavailableError());
    const outage = await discovery.discover(1, [item(4, { type: 'File', content_id: 79 })], new Map());
    expect(outage.get(4)).toEqual({ kind: 'kept' });
  });

  it('turns an empty page into nothing rather than a reading with no text', async () => {
    const { canvas } = inMemoryCanvas({ pages: { empty: page('empty', '<p> </p>') } });
    const found = await discoveryFor(canvas).discover(1, [item(1, { page_url: 'empty' })], new Map());
    expect(refsOf(found.get(1))).toEqual([]);
  });
});
