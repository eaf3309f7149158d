/**
 * The mutable account a fake Canvas serves. Fields mirror what Canvas stores, not what it sends:
 * positions, `module_id`, `html_url`, `url`, `items_count` and `items_url` are derived when a
 * response is rendered, so tests can push, splice or rename items between refreshes and the
 * next response is consistent.
 */
export type FakeModuleItem = {
  id: number;
  title: string;
  /** File | Page | Discussion | Assignment | Quiz | SubHeader | ExternalUrl | ExternalTool */
  type: string;
  indent?: number;
  external_url?: string;
  /** Page items: the page slug. */
  page_url?: string;
  /** File, Discussion, Assignment, Quiz, ExternalTool. */
  content_id?: number;
  /** Sent only with `include[]=content_details`; defaults to `{ locked_for_user: false }`. */
  content_details?: Record<string, unknown>;
  /** Sent instead of the derived `html_url` (a hostile or odd one, say). */
  html_url?: string;
};

export type FakeModule = { id: number; name: string; items: FakeModuleItem[] };

export type FakePage = {
  url: string;
  title: string;
  body: string;
  /** Canvas sends the page's `revised_at` as `updated_at`; default `FIXTURE_UPDATED_AT`. */
  updated_at?: string;
  /**
   * `readable` (default). `unauthorized`: unpublished, so a student gets 403 `unauthorized` and
   * the index leaves it out. `locked`: a module lock or unlock date; Canvas answers 200 with
   * `locked_for_user: true` and no `body` (reference §A5 Pages).
   */
  access?: 'readable' | 'unauthorized' | 'locked';
};

/** A Canvas File (an attachment); `content` is what the storage host serves. */
export type FakeFile = {
  id: number;
  display_name: string;
  content_type: string;
  content: string | Uint8Array;
  updated_at?: string;
  /** Set by Canvas for audio and video files: the media object's `media_id` (`m-…`). */
  media_entry_id?: string;
};

export type FakeMediaTrackKind = 'subtitles' | 'captions' | 'descriptions' | 'chapters' | 'metadata';

/** A caption track (Canvas `MediaTrack`, reference §A5 Media, §F4). */
export type FakeMediaTrack = {
  id: number;
  locale: string;
  kind: FakeMediaTrackKind;
  /** Who uploaded it: the media_objects route lists only the caller's own tracks. */
  user_id: number;
  /** As uploaded: SRT or WebVTT. */
  content: string;
  /** Canvas stores a WebVTT conversion; default: `content` converted. */
  webvtt_content?: string;
  /** Set when the track was added to one attachment (a copy of the media) rather than the original. */
  attachment_id?: number;
  created_at?: string;
  updated_at?: string;
};

/** A Kaltura-style media object: `media_id` is the `m-…` string, `id` the internal integer. */
export type FakeMediaObject = { id: number; media_id: string; tracks: FakeMediaTrack[] };

export type FakeCourse = {
  id: number;
  name: string;
  course_code: string;
  workflow_state: string;
  term: { id: number; name: string } | null;
  /** Listed as the `{ id, access_restricted_by_date: true }` stub Canvas sends for such courses. */
  restrictedByDate?: boolean;
  modules: FakeModule[];
  pages: FakePage[];
  /** The Pages tab is hidden from students: the index answers 404 "disabled", pages still load. */
  pagesTabHidden?: boolean;
  files?: FakeFile[];
};

export type FakeCanvasState = {
  courses: FakeCourse[];
  /** Media objects are not course-scoped in Canvas (`/api/v1/media_objects/:media_id/…`). */
  mediaObjects?: FakeMediaObject[];
};

/** `updated_at` of fixture pages and files that do not set one. */
export const FIXTURE_UPDATED_AT = '2025-09-01T14:02:55Z';
/** The caller (the student the token belongs to); matches the enrollments the fake renders. */
export const FAKE_STUDENT_ID = 90817;
/** The teacher who uploads caption tracks unless a test says otherwise (reference §F4). */
export const FAKE_TEACHER_ID = 30011;

export type BuildFixtureOptions = {
  /** Origin of Panopto links, e.g. a fake Panopto at `http://127.0.0.1:PORT`. */
  panoptoOrigin?: string;
  /** Origin of Zoom recording share links. */
  zoomOrigin?: string;
};

/** Deterministic Panopto-style delivery GUIDs: `panoptoGuid(1)` → `3f2c9a7e-5b1d-4e08-9c6a-000000000001`. */
export function panoptoGuid(n: number): string {
  return `3f2c9a7e-5b1d-4e08-9c6a-${n.toString(16).padStart(12, '0')}`;
}

/** `count` plain Page items with ids `firstId…`, for pagination and large-module tests. */
export function generateItems(options: {
  count: number;
  firstId: number;
  titlePrefix?: string;
}): FakeModuleItem[] {
  return Array.from({ length: options.count }, (_, index) => ({
    id: options.firstId + index,
    title: `${options.titlePrefix ?? 'Reading'} ${index + 1}`,
    type: 'Page',
    page_url: `reading-${options.firstId + index}`,
  }));
}

/** Looks a fixture course up by id, throwing when absent so tests fail loudly. */
export function findCourse(state: FakeCanvasState, courseId: number): FakeCourse {
  const course = state.courses.find((c) => c.id === courseId);
  if (!course) throw new Error(`No fixture course ${courseId}`);
  return course;
}

/** Looks a fixture module up by ids, throwing when absent so tests fail loudly. */
export function findModule(state: FakeCanvasState, courseId: number, moduleId: number): FakeModule {
  const module = state.courses
    .find((course) => course.id === courseId)
    ?.modules.find((m) => m.id === moduleId);
  if (!module) throw new Error(`No fixture module ${courseId}/${moduleId}`);
  return module;
}

/**
 * A small, realistic student account: three visible courses and one date-restricted stub, with
 * modules mixing Panopto LTI tools, Panopto Viewer links, Zoom share links, Pages, Files,
 * Assignments and SubHeaders (shapes from shared reference §A5/§F2).
 */
export function buildFixture(options: BuildFixtureOptions = {}): FakeCanvasState {
  const panopto = options.panoptoOrigin ?? 'https://example.hosted.panopto.com';
  const zoom = options.zoomOrigin ?? 'https://example-edu.zoom.us';
  const viewer = (n: number) => `${panopto}/Panopto/Pages/Viewer.aspx?id=${panoptoGuid(n)}`;
  const embed = (n: number) => `${panopto}/Panopto/Pages/Embed.aspx?id=${panoptoGuid(n)}&amp;autoplay=false`;
  const lti = `${panopto}/Panopto/LTI/LTI.aspx`;
  const zoomShare = (token: string) => `${zoom}/rec/share/${token}?pwd=7hRk2LmQ`;
  const term = { id: 57, name: 'Fall 2025' };

  return {
    courses: [
      {
        id: 48213,
        name: 'BIO 201: Cell Biology',
        course_code: 'BIO201-F25',
        workflow_state: 'available',
        term,
        modules: [
          {
            id: 902113,
            name: 'Week 1 – Introduction',
            items: [
              { id: 5511001, title: 'Lecture recordings', type: 'SubHeader' },
              {
                id: 5511002,
                title: 'Lecture 1.1 – Welcome (Panopto)',
                type: 'ExternalTool',
                indent: 1,
                content_id: 3301,
                external_url: lti,
              },
              { id: 5511003, title: 'Course overview', type: 'Page', page_url: 'course-overview' },
              { id: 5511004, title: 'Slides_Week1.pdf', type: 'File', content_id: 771201 },
            ],
          },
          {
            id: 902114,
            name: 'Week 3 – Membranes',
            items: [
              { id: 5512001, title: 'Lecture recordings', type: 'SubHeader' },
              {
                id: 5512002,
                title: 'Lecture 3.1 – Lipid bilayers (Panopto)',
                type: 'ExternalTool',
                indent: 1,
                content_id: 3301,
                external_url: lti,
              },
              {
                id: 5512003,
                title: 'Lecture 3.2 recording (Zoom)',
                type: 'ExternalUrl',
                indent: 1,
                external_url: zoomShare('q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP'),
              },
              { id: 5512004, title: 'Week 3 lecture notes', type: 'Page', page_url: 'week-3-lecture-notes' },
              { id: 5512005, title: 'Slides_Week3.pdf', type: 'File', content_id: 771234 },
              { id: 5512006, title: 'Problem Set 3', type: 'Assignment', content_id: 1299001 },
            ],
          },
          {
            id: 902115,
            name: 'Week 4 – Transport',
            items: [
              {
                id: 5513001,
                title: 'Lecture 4.1 – Channels (Panopto)',
                type: 'ExternalUrl',
                external_url: viewer(41),
              },
              {
                id: 5513002,
                title: 'Lecture 4.2 recording (Zoom)',
                type: 'ExternalUrl',
                external_url: zoomShare('Hk2vT9pQm4Zr8Wx1Ls6Dc3Fb7Ny0Ej5a.Qp2Rt'),
              },
              { id: 5513003, title: 'Problem Set 4', type: 'Assignment', content_id: 1299002 },
            ],
          },
        ],
        pages: [
          { url: 'course-overview', title: 'Course overview', body: '<p>Welcome to BIO 201.</p>' },
          {
            url: 'week-3-lecture-notes',
            title: 'Week 3 lecture notes',
            body: `<h2>Lecture 3.1</h2>\n<p><iframe title="Lecture 3.1" src="${embed(31)}"></iframe></p>\n<p><a href="${viewer(31)}">Open in Panopto</a></p>`,
          },
        ],
      },
      {
        id: 48214,
        name: 'HIST 110: World History',
        course_code: 'HIST110-F25',
        workflow_state: 'available',
        term,
        modules: [
          {
            id: 903001,
            name: 'Unit 1 – Early empires',
            items: [
              { id: 5521001, title: 'Lectures', type: 'SubHeader' },
              {
                id: 5521002,
                title: 'Lecture 1 – Mesopotamia (Panopto)',
                type: 'ExternalUrl',
                indent: 1,
                external_url: viewer(101),
              },
              {
                id: 5521003,
                title: 'Lecture 2 – Egypt (Panopto)',
                type: 'ExternalUrl',
                indent: 1,
                external_url: viewer(102),
              },
              { id: 5521004, title: 'Reading guide', type: 'Page', page_url: 'reading-guide' },
              { id: 5521005, title: 'Week 1 discussion', type: 'Discussion', content_id: 88001 },
            ],
          },
          { id: 903002, name: 'Unit 2 – Coming soon', items: [] },
        ],
        pages: [{ url: 'reading-guide', title: 'Reading guide', body: '<p>Read chapters 1–3.</p>' }],
      },
      {
        id: 48215,
        name: 'CHEM 150: General Chemistry',
        course_code: 'CHEM150-F25',
        workflow_state: 'available',
        term: null,
        modules: [
          {
            id: 904001,
            name: 'Stoichiometry',
            items: [
              {
                id: 5531001,
                title: 'Stoichiometry lecture (Zoom)',
                type: 'ExternalUrl',
                external_url: zoomShare('Zx9Qw8Er7Ty6Ui5Op4As3Df2Gh1Jk0Lm.Bn8Vc'),
              },
              { id: 5531002, title: 'Lecture slides.pdf', type: 'File', content_id: 772001 },
              { id: 5531003, title: 'Quiz 1', type: 'Quiz', content_id: 61001 },
            ],
          },
        ],
        pages: [],
      },
      {
        id: 47002,
        name: 'PHYS 300: Next term',
        course_code: 'PHYS300-S26',
        workflow_state: 'available',
        term: { id: 58, name: 'Spring 2026' },
        restrictedByDate: true,
        modules: [],
        pages: [],
      },
    ],
  };
}

export type FakeMediaTrackInput = Partial<Omit<FakeMediaTrack, 'content'>> & { content: string };

/** Typed set-up of Pages, Files and Canvas media (reference §A5) over a fake's mutable state. */
export type FakeCanvasContent = {
  addPage(courseId: number, page: FakePage): FakePage;
  /** Edits a page as a teacher would: every revision moves `updated_at` forward. */
  editPage(courseId: number, url: string, changes: Partial<Omit<FakePage, 'url'>>): FakePage;
  hidePagesTab(courseId: number, hidden?: boolean): void;
  addFile(courseId: number, file: FakeFile): FakeFile;
  addMediaObject(mediaId: string, tracks?: readonly FakeMediaTrackInput[]): FakeMediaObject;
  addMediaTrack(mediaId: string, track: FakeMediaTrackInput): FakeMediaTrack;
  /** A video file and its media object with `tracks`, as uploading a video to Canvas makes. */
  addVideoFile(
    courseId: number,
    video: { id: number; mediaId: string; displayName?: string; tracks?: readonly FakeMediaTrackInput[] },
  ): FakeFile;
};

/** `state` is read on every call, since tests may replace a fake's whole state. */
export function createFakeCanvasContent(state: () => FakeCanvasState): FakeCanvasContent {
  const mediaObjects = () => {
    const current = state();
    current.mediaObjects ??= [];
    return current.mediaObjects;
  };
  const findMediaObject = (mediaId: string) => {
    const found = mediaObjects().find((media) => media.media_id === mediaId);
    if (!found) throw new Error(`No fixture media object ${mediaId}`);
    return found;
  };
  const nextTrackId = () =>
    Math.max(4409, ...mediaObjects().flatMap((media) => media.tracks.map((track) => track.id))) + 1;

  const content: FakeCanvasContent = {
    addPage(courseId, page) {
      findCourse(state(), courseId).pages.push(page);
      return page;
    },
    editPage(courseId, url, changes) {
      const page = findCourse(state(), courseId).pages.find((p) => p.url === url);
      if (!page) throw new Error(`No fixture page ${courseId}/${url}`);
      const previous = Date.parse(page.updated_at ?? FIXTURE_UPDATED_AT);
      Object.assign(page, { updated_at: isoSeconds(previous + 60_000) }, changes);
      return page;
    },
    hidePagesTab(courseId, hidden = true) {
      findCourse(state(), courseId).pagesTabHidden = hidden;
    },
    addFile(courseId, file) {
      const course = findCourse(state(), courseId);
      course.files ??= [];
      course.files.push(file);
      return file;
    },
    addMediaObject(mediaId, tracks = []) {
      const id = Math.max(8811, ...mediaObjects().map((media) => media.id)) + 1;
      const media: FakeMediaObject = { id, media_id: mediaId, tracks: [] };
      mediaObjects().push(media);
      for (const track of tracks) content.addMediaTrack(mediaId, track);
      return media;
    },
    addMediaTrack(mediaId, input) {
      const track: FakeMediaTrack = {
        id: nextTrackId(),
        locale: 'en',
        kind: 'subtitles',
        user_id: FAKE_TEACHER_ID,
        ...input,
      };
      findMediaObject(mediaId).tracks.push(track);
      return track;
    },
    addVideoFile(courseId, video) {
      const file = content.addFile(courseId, {
        id: video.id,
        display_name: video.displayName ?? `lecture-${video.id}.mp4`,
        content_type: 'video/mp4',
        content: 'fake mp4 bytes',
        media_entry_id: video.mediaId,
      });
      content.addMediaObject(video.mediaId, video.tracks);
      return file;
    },
  };
  return content;
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
