import { type FakeCanvasState, panoptoGuid } from '../fakes/fake-canvas-server.ts';
import type { FakePanopto } from '../fakes/fake-panopto-server.ts';

export const COURSE_ID = 7301;
export const MODULE_ID = 7302;
/** The module's one item: the Page that embeds both recordings. */
export const ITEM_ID = 73_001;

/**
 * The recordings in the Page's order, each headed by its iframe's title. Both start at 00:00:00
 * and say a line every 4 s, so a bare time could be in either.
 */
export const RECORDINGS = [
  { guid: panoptoGuid(1), title: 'Enzymes', said: ['Enzymes lower barriers.', 'They are not used up.'] },
  { guid: panoptoGuid(2), title: 'Kinetics', said: ['Kinetics come next.', 'Michaelis and Menten.'] },
] as const;

export interface TwoRecordingsCourse {
  state: FakeCanvasState;
  /** Serves each recording's captions as Panopto delivery info. */
  serveAll(panopto: FakePanopto): void;
}

/**
 * A one-course Canvas account ('BIO 202') whose module holds one Page, 'week-2', embedding both
 * RECORDINGS as Panopto iframes the way Canvas's editor writes them (`&amp;` and all).
 */
export function twoRecordingsCourse(options: { panoptoOrigin: string }): TwoRecordingsCourse {
  const embed = ({ guid, title }: (typeof RECORDINGS)[number]) =>
    `<iframe title="${title}" src="${options.panoptoOrigin}/Panopto/Pages/Embed.aspx?id=${guid}&amp;autoplay=false"></iframe>`;
  // `>>` (a new speaker) starts a paragraph, so each line is a segment of its own.
  const lines = (said: readonly string[]) =>
    said.map((line, index) => ({ Caption: `>> ${line}`, Time: index * 4, Duration: 4 }));

  const state: FakeCanvasState = {
    courses: [
      {
        id: COURSE_ID,
        name: 'BIO 202',
        course_code: 'BIO202',
        workflow_state: 'available',
        term: null,
        pages: [
          {
            url: 'week-2',
            title: 'Week 2',
            body: RECORDINGS.map((recording) => `<p>${embed(recording)}</p>`).join(''),
          },
        ],
        modules: [
          {
            id: MODULE_ID,
            name: 'Week 2',
            items: [{ id: ITEM_ID, title: 'Week 2 lectures', type: 'Page', page_url: 'week-2' }],
          },
        ],
      },
    ],
  };

  return {
    state,
    serveAll(panopto) {
      for (const { guid, said } of RECORDINGS) {
        panopto.sessions.set(guid, { kind: 'delivery', tracks: [{ language: 0, lines: lines(said) }] });
      }
    },
  };
}
