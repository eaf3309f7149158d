import { describe, expect, it } from 'vitest';
import { exportCourse, exportItem, exportModule, missing, notesOf, ready } from './export.test-utils.ts';
import { courseNotesDocument, moduleNotesDocument } from './notes-document.ts';

const header = (id: number, position: number, title: string) =>
  exportItem(id, position, { title, type: 'SubHeader', provider: null, recordingUrl: null, canvasUrl: null });

describe('the notes of a course as one document', () => {
  const course = exportCourse([
    exportModule(1, 1, 'Week 1', [
      header(10, 1, 'Recordings'),
      exportItem(11, 2, { title: 'Lecture 1', notes: ready(notesOf('Lecture 1')) }),
      exportItem(12, 3, { title: 'Lecture 2' }),
      exportItem(13, 4, { title: '# Lecture *3*', notes: ready(notesOf('Lecture 3')) }),
      exportItem(14, 5, { title: 'Lecture 4', notes: missing() }),
    ]),
    exportModule(2, 2, 'Week 2', [
      exportItem(21, 1, { title: 'Lecture 5', notes: ready(notesOf('Lecture 5')) }),
    ]),
    exportModule(3, 3, 'Admin', [header(30, 1, 'Syllabus')]),
  ]);

  it('heads modules and items in order and nests each item’s notes under it', () => {
    expect(courseNotesDocument(course)).toBe(
      [
        '# NEURO 240: Membranes',
        '',
        '_Notes of 3 of 5 items with a recording or reading._',
        '',
        '## Week 1',
        '',
        '### Lecture 1',
        '',
        '#### Overview',
        'What Lecture 1 covers.',
        '',
        '#### [00:01:02](https://uni.hosted.panopto.com/v?start=62) First topic',
        '- a point [00:01:10]',
        '',
        '#### Key terms',
        'membrane',
        '',
        '### \\# Lecture \\*3\\*',
        '',
        '#### Overview',
        'What Lecture 3 covers.',
        '',
        '#### [00:01:02](https://uni.hosted.panopto.com/v?start=62) First topic',
        '- a point [00:01:10]',
        '',
        '#### Key terms',
        'membrane',
        '',
        '_No notes yet for 1 item: Lecture 2._',
        '',
        '_Notes of 1 item are missing from the data folder (summarize again to write them): Lecture 4._',
        '',
        '## Week 2',
        '',
        '### Lecture 5',
        '',
        '#### Overview',
        'What Lecture 5 covers.',
        '',
        '#### [00:01:02](https://uni.hosted.panopto.com/v?start=62) First topic',
        '- a point [00:01:10]',
        '',
        '#### Key terms',
        'membrane',
        '',
        '## Admin',
        '',
        '_No recordings or readings in this module._',
        '',
      ].join('\n'),
    );
  });

  it('counts items without notes, never headers or assignments', () => {
    const doc = courseNotesDocument(
      exportCourse([
        exportModule(1, 1, 'Week 1', [
          header(10, 1, 'Recordings'),
          exportItem(11, 2, { title: 'Quiz 1', type: 'Quiz', provider: null, recordingUrl: null }),
          exportItem(12, 3, { title: 'Reading', provider: 'reading', recordingUrl: null }),
          exportItem(13, 4, { title: 'Lecture', provider: 'panopto' }),
        ]),
      ]),
    );
    expect(doc).toContain('_Notes of 0 of 2 items with a recording or reading._');
    expect(doc).toContain('_No notes yet for 2 items: Reading; Lecture._');
    expect(doc).not.toContain('Quiz 1');
  });

  it('says so when the course has no modules yet', () => {
    expect(courseNotesDocument(exportCourse([]))).toBe(
      '# NEURO 240: Membranes\n\n_No modules yet: refresh the course to sync them from Canvas._\n',
    );
  });

  it('escapes Canvas titles in every heading and list, and heads blank ones by id', () => {
    const doc = courseNotesDocument(
      exportCourse(
        [
          exportModule(1, 1, '*Week* <1>', [
            exportItem(11, 1, { title: '  ', notes: ready('## Overview\nx') }),
            exportItem(12, 2, { title: '[[Not a link]]' }),
          ]),
        ],
        { name: '# Course_1' },
      ),
    );
    expect(doc.split('\n').filter((line) => line.startsWith('#'))).toEqual([
      '# \\# Course\\_1',
      '## \\*Week\\* \\<1>',
      '### Item 11',
      '#### Overview',
    ]);
    expect(doc).toContain('_No notes yet for 1 item: \\[\\[Not a link\\]\\]._');
  });
});

describe('the notes of one module as one document', () => {
  it('names course and module in its title and heads items one level up', () => {
    const course = exportCourse([]);
    const module = exportModule(2, 2, 'Week 2', [
      exportItem(21, 1, { title: 'Lecture 5', notes: ready(notesOf('Lecture 5').replace(/\n/g, '\r\n')) }),
      exportItem(22, 2, { title: 'Lecture 6' }),
    ]);
    expect(moduleNotesDocument(course, module).split('\n')).toEqual([
      '# NEURO 240: Membranes — Week 2',
      '',
      '_Notes of 1 of 2 items with a recording or reading._',
      '',
      '## Lecture 5',
      '',
      '### Overview',
      'What Lecture 5 covers.',
      '',
      '### [00:01:02](https://uni.hosted.panopto.com/v?start=62) First topic',
      '- a point [00:01:10]',
      '',
      '### Key terms',
      'membrane',
      '',
      '_No notes yet for 1 item: Lecture 6._',
      '',
    ]);
  });
});
