import { createCanvasNotFoundError } from '../canvas/canvas.errors.ts';
import type {
  CanvasApi,
  CanvasCourse,
  CanvasFile,
  CanvasModuleItem,
  CanvasModuleWithItems,
  CanvasPage,
} from '../canvas/canvas.schemas.ts';
import { demoSlidesPdf } from './demo-pdf.ts';
import { DEMO_LECTURES, DEMO_PANOPTO_ORIGIN } from './demo-transcripts.ts';

/**
 * The built-in demo account, served when no CANVAS_TOKEN is set: a few courses shaped like real
 * Canvas data, with Panopto lectures whose captions ship with the code (see demo-transcripts),
 * a Page that embeds a lecture, a reading page, a Zoom share link and a generic Panopto LTI
 * launch that cannot be fetched, and the usual files and assignments, so every endpoint and
 * outcome, discovery included, can be tried offline.
 */

const HOST = 'https://canvas.demo.invalid';

const lecture = (index: number) => {
  const found = DEMO_LECTURES[index];
  if (!found) throw new Error(`demo lecture ${index} is missing`);
  return found;
};

type ItemSpec = Pick<CanvasModuleItem, 'id' | 'title' | 'type'> & Partial<CanvasModuleItem>;

function moduleOf(
  courseId: number,
  id: number,
  position: number,
  name: string,
  specs: ItemSpec[],
): CanvasModuleWithItems {
  const items = specs.map((spec, index) => ({
    module_id: id,
    position: index + 1,
    indent: spec.type === 'SubHeader' ? 0 : 1,
    html_url: spec.type === 'SubHeader' ? null : `${HOST}/courses/${courseId}/modules/items/${spec.id}`,
    ...spec,
  }));
  return { id, name, position, items_count: items.length, items_url: null, items };
}

const recording = (id: number, index: number): ItemSpec => ({
  id,
  type: 'ExternalUrl',
  title: `${lecture(index).title} (recording)`,
  external_url: lecture(index).url,
});

const COURSES: CanvasCourse[] = [
  {
    id: 101,
    name: 'BIO 101: Introduction to Cell Biology',
    course_code: 'BIO101',
    workflow_state: 'available',
    term: { name: 'Demo term' },
  },
  {
    id: 102,
    name: 'ECON 110: Principles of Microeconomics',
    course_code: 'ECON110',
    workflow_state: 'available',
    term: { name: 'Demo term' },
  },
  {
    id: 103,
    name: 'STAT 200: Statistics for the Sciences',
    course_code: 'STAT200',
    workflow_state: 'available',
    term: { name: 'Demo term' },
  },
  {
    id: 104,
    name: 'HIST 230: Modern Europe',
    course_code: 'HIST230',
    workflow_state: 'available',
    term: { name: 'Demo term' },
  },
  {
    id: 105,
    name: 'GEOL 101: Physical Geology',
    course_code: 'GEOL101',
    workflow_state: 'available',
    term: { name: 'Demo term' },
  },
];

const MODULES: Record<number, CanvasModuleWithItems[]> = {
  101: [
    moduleOf(101, 1001, 1, 'Week 1 – Membranes', [
      { id: 10000, type: 'SubHeader', title: 'Lecture recordings' },
      recording(10001, 0),
      { id: 10002, type: 'Page', title: 'Week 1 reading guide', page_url: 'week-1-reading-guide' },
      { id: 10003, type: 'File', title: 'Slides_Week1.pdf', content_id: 771001 },
      { id: 10004, type: 'Assignment', title: 'Problem set 1', content_id: 129001 },
      { id: 10005, type: 'Page', title: 'Week 1 lecture: membrane transport', page_url: 'week-1-lecture' },
    ]),
  ],
  102: [
    moduleOf(102, 2001, 1, 'Unit 1 – Markets', [
      recording(20001, 1),
      {
        id: 20002,
        type: 'ExternalUrl',
        title: 'Review session recording (Zoom)',
        external_url: 'https://demo-edu.zoom.us/rec/share/q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP',
      },
      { id: 20003, type: 'Quiz', title: 'Quiz 1', content_id: 55001 },
    ]),
  ],
  103: [
    moduleOf(103, 3001, 1, 'Module 1 – Regression', [
      recording(30001, 2),
      {
        id: 30002,
        type: 'ExternalTool',
        title: 'Lab walkthrough (Panopto)',
        content_id: 3301,
        external_url: `${DEMO_PANOPTO_ORIGIN}/Panopto/LTI/LTI.aspx`,
      },
    ]),
  ],
  104: [moduleOf(104, 4001, 1, 'Part I – Revolution', [recording(40001, 3)])],
  105: [moduleOf(105, 5001, 1, 'Week 1 – A restless planet', [recording(50001, 4)])],
};

const PAGES: Record<string, CanvasPage> = {
  '101/week-1-reading-guide': {
    url: 'week-1-reading-guide',
    title: 'Week 1 reading guide',
    updated_at: '2026-09-01T08:00:00Z',
    body:
      '<h2>Before Thursday</h2><p>Read chapter 3, sections 3.1–3.4, on membrane structure.</p>' +
      '<p>Focus on three questions: why do phospholipids form a bilayer in water, which molecules ' +
      'cross it without help, and what the proteins embedded in it are for.</p>' +
      '<ul><li>Section 3.1: the phospholipid bilayer.</li><li>Section 3.2: membrane proteins.</li>' +
      '<li>Sections 3.3–3.4: diffusion and osmosis.</li></ul>',
  },
  '101/week-1-lecture': {
    url: 'week-1-lecture',
    title: 'Week 1 lecture: membrane transport',
    updated_at: '2026-09-03T10:30:00Z',
    // As Canvas serves a page with a Panopto embed: attribute values entity-encoded.
    body:
      '<h2>Lecture 1b</h2><p>Watch before the lab:</p>' +
      `<p><iframe title="${lecture(5).title}" src="${DEMO_PANOPTO_ORIGIN}/Panopto/Pages/Embed.aspx?id=${lecture(5).guid}&amp;autoplay=false&amp;offerviewer=true" width="720" height="405" allowfullscreen="allowfullscreen"></iframe></p>`,
  },
};

const FILES: Record<string, CanvasFile> = {
  '101/771001': {
    id: 771001,
    display_name: 'Slides_Week1.pdf',
    filename: 'Slides_Week1.pdf',
    'content-type': 'application/pdf',
    size: 1843,
    url: `${HOST}/files/771001/download?download_frd=1`,
    updated_at: '2026-09-01T08:00:00Z',
    media_entry_id: null,
  },
};

const notFound = () =>
  createCanvasNotFoundError({ message: 'Canvas has no such resource in the demo account.' });

export function createDemoCanvas(): CanvasApi {
  const modulesOf = (courseId: number) => {
    const found = MODULES[courseId];
    if (!found) throw notFound();
    return found;
  };
  return {
    async listCourses() {
      return COURSES.map((course) => ({ ...course }));
    },
    async getCourse(courseId) {
      const course = COURSES.find((candidate) => candidate.id === courseId);
      if (!course) throw notFound();
      return { ...course };
    },
    async listModulesWithItems(courseId) {
      return structuredClone(modulesOf(courseId));
    },
    async getModuleWithItems(courseId, moduleId) {
      const module = modulesOf(courseId).find((candidate) => candidate.id === moduleId);
      if (!module) throw notFound();
      return structuredClone(module);
    },
    async listPages(courseId) {
      modulesOf(courseId);
      return Object.entries(PAGES)
        .filter(([key]) => key.startsWith(`${courseId}/`))
        .map(([, page]) => ({ url: page.url, updated_at: page.updated_at }));
    },
    async getPage(courseId, pageUrl) {
      const page = PAGES[`${courseId}/${pageUrl}`];
      if (!page) throw notFound();
      return { ...page };
    },
    async getFile(courseId, fileId) {
      const file = FILES[`${courseId}/${fileId}`];
      if (!file) throw notFound();
      return { ...file };
    },
    async listMediaTracks() {
      return [];
    },
    async downloadFile(courseId, fileId) {
      const file = FILES[`${courseId}/${fileId}`];
      if (!file) throw notFound();
      return { bytes: demoSlidesPdf(), contentType: file['content-type'] ?? null };
    },
  };
}
