import { parseCaptions } from '../../src/transcripts/captions.parser.ts';
import { cuesToTranscript } from '../../src/transcripts/transcript.normalizer.ts';
import { type FakeCanvasState, panoptoGuid } from '../fakes/fake-canvas-server.ts';
import type { FakePanopto, FakePanoptoSession } from '../fakes/fake-panopto-server.ts';
import { LECTURE_LINES, srt } from './srt.ts';

export const COURSE_ID = 7001;
export const MODULE_ID = 7101;
export const OTHER_MODULE_ID = 7102;
/** A Page in the lectures module: no recording, so bulk actions skip it. */
export const READING_ID = 71_900;

export interface LectureCourse {
  state: FakeCanvasState;
  /** Lecture item ids in course order: the first `perModule` in MODULE_ID, the rest in OTHER_MODULE_ID. */
  lectureIds: number[];
  /** The Panopto session GUID behind a lecture item. */
  guid(itemId: number): string;
  /** The SRT the fake serves for a lecture: its lines name the lecture, so mix-ups show. */
  captions(itemId: number): string;
  /** The transcript file canvas-notes must write for a lecture (same parser and normaliser). */
  expectedTranscript(itemId: number): string;
  /** Serves every lecture's captions, each as `session(body)` builds it (plain SRT by default). */
  serveAll(panopto: FakePanopto, session?: (body: string) => FakePanoptoSession): void;
}

/**
 * A one-course Canvas account whose two modules hold `lectures` Panopto Viewer links (split
 * `perModule` / rest) plus one reading Page, for job tests that need many recordings.
 */
export function lectureCourse(options: {
  panoptoOrigin: string;
  lectures: number;
  perModule?: number;
}): LectureCourse {
  const perModule = options.perModule ?? options.lectures;
  const lectureIds = Array.from({ length: options.lectures }, (_, index) => 71_001 + index);
  const guid = (itemId: number) => panoptoGuid(itemId);
  const viewer = (itemId: number) => `${options.panoptoOrigin}/Panopto/Pages/Viewer.aspx?id=${guid(itemId)}`;
  const lectureItem = (itemId: number, index: number) => ({
    id: itemId,
    title: `Lecture ${index + 1} (Panopto)`,
    type: 'ExternalUrl',
    external_url: viewer(itemId),
  });
  const captions = (itemId: number) => srt(LECTURE_LINES.map((line) => `${line} Lecture ${itemId}.`));

  const state: FakeCanvasState = {
    courses: [
      {
        id: COURSE_ID,
        name: 'NEURO 240: Membranes',
        course_code: 'NEURO240',
        workflow_state: 'available',
        term: null,
        pages: [{ url: 'reading', title: 'Reading', body: '<p>Read chapter 2.</p>' }],
        modules: [
          {
            id: MODULE_ID,
            name: 'Lectures',
            items: [
              ...lectureIds.slice(0, perModule).map(lectureItem),
              { id: READING_ID, title: 'Reading', type: 'Page', page_url: 'reading' },
            ],
          },
          {
            id: OTHER_MODULE_ID,
            name: 'More lectures',
            items: lectureIds.slice(perModule).map((id, index) => lectureItem(id, perModule + index)),
          },
        ],
      },
    ],
  };

  return {
    state,
    lectureIds,
    guid,
    captions,
    expectedTranscript: (itemId) => cuesToTranscript(parseCaptions(captions(itemId))).text,
    serveAll(panopto, session = (body) => ({ kind: 'srt', body })) {
      for (const id of lectureIds) panopto.sessions.set(guid(id), session(captions(id)));
    },
  };
}
