import type { ExportCourse, ExportItem, ExportModule, StoredText } from './export.records.ts';

export const AT = new Date('2026-09-14T09:30:00Z');

export const ready = (text: string, createdAt = AT): StoredText => ({ state: 'ready', text, createdAt });
export const missing = (createdAt = AT): StoredText => ({ state: 'missing', createdAt });
export const NONE: StoredText = { state: 'none' };

/** An item with a Panopto recording and nothing made yet, unless `fields` says otherwise. */
export function exportItem(id: number, position: number, fields: Partial<ExportItem> = {}): ExportItem {
  return {
    id,
    position,
    title: `Lecture ${position}`,
    type: 'ExternalUrl',
    canvasUrl: `https://canvas.example/courses/1/modules/items/${id}`,
    provider: 'panopto',
    recordingUrl: `https://uni.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=${id}`,
    notes: NONE,
    transcript: NONE,
    ...fields,
  };
}

export const exportModule = (
  id: number,
  position: number,
  title: string,
  items: ExportItem[],
): ExportModule => ({ id, position, title, items });

export const exportCourse = (modules: ExportModule[], fields: Partial<ExportCourse> = {}): ExportCourse => ({
  id: 7,
  name: 'NEURO 240: Membranes',
  courseCode: 'NEURO240',
  modules,
  ...fields,
});

/** Notes in the shape every summarizer writes (see `summarize/notes.format.ts`). */
export const notesOf = (title: string) =>
  [
    `# ${title}`,
    '',
    '## Overview',
    `What ${title} covers.`,
    '',
    '## [00:01:02](https://uni.hosted.panopto.com/v?start=62) First topic',
    '- a point [00:01:10]',
    '',
    '## Key terms',
    'membrane',
    '',
  ].join('\n');
