import { createCanvasClient } from '../src/canvas/canvas.client.ts';
import { createSilentLogger } from '../src/shared/logger.ts';
import { createContentDiscovery, type Discovery } from '../src/sync/content-discovery.ts';
import { createTranscriptProviders } from '../src/transcripts/providers.registry.ts';
import type { FakeCanvasState, FakeModuleItem } from '../test/fakes/fake-canvas.fixture.ts';
import { startFakeCanvas } from '../test/fakes/fake-canvas-server.ts';

/**
 * Canvas requests that content discovery adds to a sync, beside the structure requests (courses,
 * modules, items) of the same sync. The budget: at most one request per Page or File item on a
 * first sync; on a re-sync with nothing changed, only the Pages index (one page per 100 pages
 * per course), no page body and no file.
 */
const COURSES = 3;
const MODULES = 8;
const PAGES_PER_MODULE = 3;
const FILES_PER_MODULE = 2;
const LINKS_PER_MODULE = 2;

function buildAccount(): FakeCanvasState {
  let id = 2_000_000;
  return {
    courses: Array.from({ length: COURSES }, (_, c) => {
      const pages = [];
      const files = [];
      const modules = [];
      for (let m = 0; m < MODULES; m++) {
        const items: FakeModuleItem[] = [];
        for (let p = 0; p < PAGES_PER_MODULE; p++) {
          const slug = `week-${m + 1}-page-${p + 1}`;
          const guid = `3f2c9a7e-5b1d-4e08-9c6a-${String(++id).padStart(12, '0')}`;
          pages.push({
            url: slug,
            title: slug,
            body:
              p === 0
                ? `<iframe src="https://school.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=${guid}&amp;autoplay=false"></iframe>`
                : '<p>Read the chapter before class.</p>',
          });
          items.push({ id: ++id, title: slug, type: 'Page', page_url: slug });
        }
        for (let f = 0; f < FILES_PER_MODULE; f++) {
          const fileId = ++id;
          files.push({
            id: fileId,
            display_name: `notes-${fileId}.pdf`,
            content_type: 'application/pdf',
            content: '%PDF-1.4',
          });
          items.push({ id: ++id, title: `notes-${fileId}.pdf`, type: 'File', content_id: fileId });
        }
        for (let l = 0; l < LINKS_PER_MODULE; l++) {
          items.push({
            id: ++id,
            title: 'Recording',
            type: 'ExternalUrl',
            external_url: `https://youtu.be/dQw4w9WgX${String(l).padStart(2, '0')}`,
          });
        }
        modules.push({ id: 70_000 + c * 100 + m, name: `Week ${m + 1}`, items });
      }
      return {
        id: 600 + c,
        name: `Course ${c + 1}`,
        course_code: `D${c}`,
        workflow_state: 'available',
        term: null,
        modules,
        pages,
        files,
      };
    }),
  };
}

const STRUCTURE_KINDS = new Set(['courses', 'course', 'modules', 'module', 'module_items']);

export async function benchDiscovery(): Promise<{
  name: string;
  lines: string[];
  figures: Record<string, number>;
}> {
  const canvas = await startFakeCanvas({ state: buildAccount() });
  try {
    const client = createCanvasClient({ baseUrl: canvas.baseUrl, token: canvas.token, concurrency: 3 });
    const providers = createTranscriptProviders({ canvas: client });
    const discovery = createContentDiscovery({ canvas: client, providers, logger: createSilentLogger() });
    const contentItems = COURSES * MODULES * (PAGES_PER_MODULE + FILES_PER_MODULE);

    const sync = async (known: Map<number, Map<number, string | null>>) => {
      canvas.requests.length = 0;
      const found = new Map<number, Map<number, Discovery>>();
      for (const course of await client.listCourses()) {
        const modules = await client.listModulesWithItems(course.id);
        const items = modules.flatMap((module) => module.items);
        found.set(course.id, await discovery.discover(course.id, items, known.get(course.id) ?? new Map()));
      }
      const structure = canvas.requests.filter((request) => STRUCTURE_KINDS.has(request.kind)).length;
      return {
        found,
        structure,
        content: canvas.requests.length - structure,
        bodies: canvas.count('page') + canvas.count('file'),
      };
    };

    const first = await sync(new Map());
    const known = new Map(
      [...first.found].map(([courseId, results]) => [
        courseId,
        new Map(
          [...results].map(([itemId, result]) => [
            itemId,
            result.kind === 'found' ? result.contentVersion : null,
          ]),
        ),
      ]),
    );
    const again = await sync(known);
    return {
      name: 'Content discovery (Pages and Files read for recordings)',
      lines: [
        `account: ${COURSES} courses, ${contentItems} Page and File items, ${COURSES * MODULES * LINKS_PER_MODULE} link items`,
        `first sync: ${first.content} discovery requests beside ${first.structure} structure requests; ${(first.content / contentItems).toFixed(2)} per Page/File item (budget ≤ 1)`,
        `re-sync, nothing changed: ${again.content} discovery requests (${again.bodies} page or file reads) beside ${again.structure} structure requests`,
      ],
      figures: {
        discovery_content_items: contentItems,
        discovery_first_sync_requests: first.content,
        discovery_first_sync_structure_requests: first.structure,
        discovery_first_sync_requests_per_content_item: Number((first.content / contentItems).toFixed(3)),
        discovery_resync_requests: again.content,
        discovery_resync_body_reads: again.bodies,
        discovery_resync_structure_requests: again.structure,
      },
    };
  } finally {
    await canvas.close();
  }
}
