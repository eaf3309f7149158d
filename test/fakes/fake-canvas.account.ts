import type { FakeCanvasState, FakeCourse, FakeModuleItem } from './fake-canvas.fixture.ts';

/**
 * A term's worth of courses shaped like a real one, for benchmarks and sync tests: each module
 * of eight items holds one Page that embeds the week's recording (Panopto, YouTube or Canvas
 * media in turn, as `<iframe>`s in the body, so discovery must read it), one File, a YouTube
 * link and five items with nothing to read. Canvas inlines the items of every module (eight is
 * far below its 100), so the structure costs one request per course; each Page and File item
 * costs one more on a first sync.
 */
export type RealisticAccountOptions = {
  courses: number;
  modulesPerCourse: number;
  firstCourseId?: number;
};

/** Items per module, and of those, the ones whose content a first sync reads (Page, File). */
export const REALISTIC_ITEMS_PER_MODULE = 8;
export const REALISTIC_READS_PER_MODULE = 2;

export function buildRealisticAccount(options: RealisticAccountOptions): FakeCanvasState {
  const firstCourseId = options.firstCourseId ?? 7100;
  return {
    courses: Array.from({ length: options.courses }, (_, c) =>
      buildCourse(firstCourseId + c, c, options.modulesPerCourse),
    ),
  };
}

function buildCourse(courseId: number, courseIndex: number, modules: number): FakeCourse {
  const course: FakeCourse = {
    id: courseId,
    name: `Course ${courseIndex + 1}`,
    course_code: `RC${courseIndex + 1}`,
    workflow_state: 'available',
    term: { id: 1, name: 'Spring term' },
    modules: [],
    pages: [],
    files: [],
  };
  for (let m = 0; m < modules; m++) {
    // Ids unique across the account: course, module and slot in the digits.
    const base = courseId * 10_000 + m * 10;
    const week = m + 1;
    const slug = `week-${week}-lecture`;
    course.pages.push({ url: slug, title: `Week ${week} lecture`, body: lectureBody(base, m) });
    course.files?.push({
      id: base + 9,
      display_name: `week-${week}-slides.pdf`,
      content_type: 'application/pdf',
      content: '%PDF-1.4',
    });
    const items: FakeModuleItem[] = [
      { id: base, title: `Week ${week}`, type: 'SubHeader' },
      { id: base + 1, title: `Week ${week} lecture`, type: 'Page', page_url: slug },
      { id: base + 2, title: `Week ${week} slides`, type: 'File', content_id: base + 9 },
      {
        id: base + 3,
        title: `Week ${week} worked example`,
        type: 'ExternalUrl',
        external_url: `https://www.youtube.com/watch?v=${youtubeId(base + 3)}`,
      },
      { id: base + 4, title: `Problem set ${week}`, type: 'Assignment', content_id: base + 4 },
      { id: base + 5, title: `Quiz ${week}`, type: 'Quiz', content_id: base + 5 },
      { id: base + 6, title: `Week ${week} discussion`, type: 'Discussion', content_id: base + 6 },
      { id: base + 7, title: `Lab ${week}`, type: 'Assignment', content_id: base + 7 },
    ];
    course.modules.push({ id: base, name: `Week ${week}`, items });
  }
  return course;
}

function lectureBody(base: number, moduleIndex: number): string {
  const intro = '<p>This week’s lecture recording and reading list.</p>';
  switch (moduleIndex % 3) {
    case 0: {
      const guid = `3f2c9a7e-5b1d-4e08-9c6a-${base.toString(16).padStart(12, '0')}`;
      return `${intro}<iframe src="https://school.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=${guid}&amp;autoplay=false"></iframe>`;
    }
    case 1:
      return `${intro}<iframe src="https://www.youtube.com/embed/${youtubeId(base)}"></iframe>`;
    default:
      // Relative, as the rich-content editor writes it; discovery resolves it against Canvas.
      return `${intro}<iframe class="instructure_inline_media_comment video_comment" data-media-id="m-${base}" src="/media_attachments_iframe/${base}?embedded=true&amp;type=video"></iframe>`;
  }
}

/** An 11-character YouTube video id derived from `n`. */
function youtubeId(n: number): string {
  return `v${n.toString(36)}`.padEnd(11, 'x').slice(0, 11);
}
