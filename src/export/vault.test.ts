import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  exportCourse,
  exportItem,
  exportModule,
  missing,
  NONE,
  notesOf,
  ready,
} from './export.test-utils.ts';
import { buildVault, itemFileNames, moduleFolderNames, type VaultFile } from './vault.ts';

/** The front matter block and the body after it. */
function split(content: string): { data: Record<string, unknown>; body: string } {
  const match = /^---\n([\s\S]*?\n)---\n\n([\s\S]*)$/.exec(content);
  if (!match) throw new Error(`no front matter in ${content.slice(0, 80)}`);
  return { data: parse(match[1] ?? ''), body: match[2] ?? '' };
}

const byPath = (files: VaultFile[]) => new Map(files.map((file) => [file.path, file]));
const OBSIDIAN_TAG = /^(?!\d+$)[\p{L}\p{N}_/-]+$/u;

describe('the vault folder of a course', () => {
  const later = new Date('2026-10-02T12:00:00Z');
  const course = exportCourse([
    exportModule(71, 1, 'Week 1: Membranes', [
      exportItem(11, 1, { title: 'Recordings', type: 'SubHeader', provider: null, recordingUrl: null }),
      exportItem(12, 2, {
        title: 'Lecture 1',
        notes: ready(notesOf('Lecture 1')),
        transcript: ready('[00:00:01] Hello.', new Date('2026-09-13T08:00:00Z')),
      }),
      exportItem(13, 3, {
        title: 'Reading',
        type: 'Page',
        provider: 'reading',
        recordingUrl: null,
        transcript: ready('Read chapter 2.'),
      }),
      exportItem(14, 4, { title: 'Lecture 2' }),
      exportItem(15, 5, { title: 'Lecture 3', notes: missing(), transcript: ready('[00:00:01] Three.') }),
    ]),
    exportModule(72, 2, 'Week 2', [
      exportItem(21, 1, { title: 'Lecture 4', notes: ready(notesOf('Lecture 4'), later) }),
    ]),
  ]);
  const files = buildVault(course);
  const root = 'NEURO 240 Membranes';

  it('writes an index, then per module folder the notes with their transcript beside them', () => {
    expect(files.map((file) => file.path)).toEqual([
      `${root}/README.md`,
      `${root}/01 Week 1 Membranes/02 Lecture 1.md`,
      `${root}/01 Week 1 Membranes/02 Lecture 1 (transcript).md`,
      `${root}/01 Week 1 Membranes/03 Reading (transcript).md`,
      `${root}/01 Week 1 Membranes/05 Lecture 3 (transcript).md`,
      `${root}/02 Week 2/01 Lecture 4.md`,
    ]);
  });

  it('gives the notes front matter Obsidian reads, and keeps them as written', () => {
    const notes = byPath(files).get(`${root}/01 Week 1 Membranes/02 Lecture 1.md`);
    const { data, body } = split(notes?.content ?? '');
    expect(data).toEqual({
      title: 'Lecture 1',
      course: 'NEURO 240: Membranes',
      course_id: 7,
      module: 'Week 1: Membranes',
      module_id: 71,
      item_id: 12,
      type: 'ExternalUrl',
      source: 'panopto',
      recording: 'https://uni.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=12',
      canvas_url: 'https://canvas.example/courses/1/modules/items/12',
      date: '2026-09-14',
      tags: ['canvas-notes', 'neuro240', 'panopto'],
      kind: 'notes',
      transcript: `[[${root}/01 Week 1 Membranes/02 Lecture 1 (transcript)]]`,
    });
    expect(body).toBe(notesOf('Lecture 1'));
    expect(notes?.mtime).toEqual(new Date('2026-09-14T09:30:00Z'));
  });

  it('writes the transcript as its own note, linking back to the notes', () => {
    const transcript = byPath(files).get(`${root}/01 Week 1 Membranes/02 Lecture 1 (transcript).md`);
    const { data, body } = split(transcript?.content ?? '');
    expect(data).toMatchObject({
      title: 'Lecture 1',
      item_id: 12,
      date: '2026-09-13',
      kind: 'transcript',
      tags: ['canvas-notes', 'neuro240', 'panopto', 'transcript'],
      notes: `[[${root}/01 Week 1 Membranes/02 Lecture 1]]`,
    });
    expect(body).toBe('# Lecture 1 (transcript)\n\n[00:00:01] Hello.\n');
    // A reading has no recording, and its transcript no notes to link to yet.
    const reading = split(
      byPath(files).get(`${root}/01 Week 1 Membranes/03 Reading (transcript).md`)?.content ?? '',
    );
    expect(reading.data).toMatchObject({ source: 'reading', recording: null, notes: null });
  });

  it('links every module and item from the index, and says what is not there yet', () => {
    const index = byPath(files).get(`${root}/README.md`);
    const { data, body } = split(index?.content ?? '');
    expect(data).toEqual({
      title: 'NEURO 240: Membranes',
      course: 'NEURO 240: Membranes',
      course_id: 7,
      tags: ['canvas-notes', 'neuro240'],
      kind: 'index',
    });
    expect(body).toContain(
      [
        '## Week 1: Membranes',
        '',
        `- [[${root}/01 Week 1 Membranes/02 Lecture 1|Lecture 1]] · [[${root}/01 Week 1 Membranes/02 Lecture 1 (transcript)|transcript]]`,
        `- [[${root}/01 Week 1 Membranes/03 Reading (transcript)|Reading (transcript)]]`,
        `- [[${root}/01 Week 1 Membranes/05 Lecture 3 (transcript)|Lecture 3 (transcript)]]`,
        '',
        '_No notes yet for 2 items: Reading; Lecture 2._',
      ].join('\n'),
    );
    expect(body).toContain('are missing from the data folder (summarize again to write them): Lecture 3._');
    // Dated as the latest file in it.
    expect(index?.mtime).toEqual(later);
  });

  it('links only to files it writes', () => {
    const paths = new Set(files.map((file) => file.path));
    const targets = files.flatMap((file) =>
      [...file.content.matchAll(/\[\[([^\]|]+)(?:\|[^\]]*)?\]\]/g)].map((m) => m[1]),
    );
    expect(targets.length).toBeGreaterThan(5);
    for (const target of targets) expect(paths.has(`${target}.md`), target).toBe(true);
  });

  it('leaves out items with neither notes nor transcript, and a course without any is just an index', () => {
    expect(files.some((file) => file.path.includes('Lecture 2'))).toBe(false);
    const empty = buildVault(exportCourse([exportModule(71, 1, 'Week 1', [exportItem(11, 1)])]));
    expect(empty.map((file) => file.path)).toEqual([`${root}/README.md`]);
    expect(empty[0]?.mtime).toEqual(new Date(1980, 0, 1));
  });
});

describe('stable file names', () => {
  it('names items by Canvas position and title only, whatever has notes yet', () => {
    const module = (withNotes: number[]) =>
      exportModule(
        71,
        1,
        'Week 1',
        [1, 2, 3].map((position) =>
          exportItem(10 + position, position, {
            notes: withNotes.includes(position) ? ready(notesOf('x')) : NONE,
          }),
        ),
      );
    const first = buildVault(exportCourse([module([2])])).map((file) => file.path);
    const second = buildVault(exportCourse([module([1, 2, 3])])).map((file) => file.path);
    expect(second).toEqual(expect.arrayContaining(first));
    expect(itemFileNames(module([]))).toEqual(itemFileNames(module([1, 2, 3])));
  });

  it('appends the item id to both items when two would share a name, even by case only', () => {
    const names = itemFileNames(
      exportModule(71, 1, 'Week 1', [
        exportItem(11, 1, { title: 'Intro' }),
        exportItem(12, 1, { title: 'INTRO' }),
        exportItem(13, 2, { title: 'Intro' }),
        exportItem(14, 3, { title: 'Notes: part 1' }),
        exportItem(15, 3, { title: 'Notes part 1' }),
      ]),
    );
    expect([...names.values()]).toEqual([
      '01 Intro (11)',
      '01 INTRO (12)',
      '02 Intro',
      '03 Notes part 1 (14)',
      '03 Notes part 1 (15)',
    ]);
  });

  it('keeps an item named like another item’s transcript from overwriting it', () => {
    const names = itemFileNames(
      exportModule(71, 1, 'Week 1', [
        exportItem(11, 1, { title: 'Lecture' }),
        exportItem(12, 1, { title: 'Lecture (transcript)' }),
      ]),
    );
    expect([...names.values()]).toEqual(['01 Lecture (11)', '01 Lecture (transcript) (12)']);
  });

  it('numbers module folders by position, padded as far as the largest needs', () => {
    const names = moduleFolderNames([
      exportModule(1, 2, 'B', []),
      exportModule(2, 105, 'C', []),
      exportModule(3, 2, 'b', []),
    ]);
    expect([...names.values()]).toEqual(['002 B (1)', '105 C', '002 b (3)']);
  });
});

describe('front matter of hostile titles', () => {
  const HOSTILE = [
    'Week 1: Intro',
    '"Quoted" and \'single\'',
    '# not a comment',
    'Line one\nline two',
    '- a list?',
    '---',
    'a\n---\nb: c',
    '[[link]] {a: b}',
    '&anchor *alias !tag %directive @at `tick`',
    'null',
    'true',
    '0123',
    '2026-09-01',
    '? key',
    '|',
    '  leading and trailing spaces  ',
    'tab\there',
    'Émoji 😀 日本語',
  ];

  it.each(HOSTILE)('parses back to the same values for %j', (title) => {
    const course = exportCourse(
      [
        exportModule(71, 1, title, [
          exportItem(12, 1, { title, notes: ready(notesOf('x')), transcript: ready('[00:00:01] x') }),
        ]),
      ],
      { name: title, courseCode: title },
    );
    const files = buildVault(course);
    expect(files).toHaveLength(3);
    for (const file of files) {
      const { data } = split(file.content);
      expect(data.title).toBe(title);
      expect(data.course).toBe(title);
      if (data.kind !== 'index') expect(data.module).toBe(title);
      for (const tag of data.tags as string[]) expect(tag).toMatch(OBSIDIAN_TAG);
    }
  });
});
