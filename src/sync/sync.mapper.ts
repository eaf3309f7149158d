import type { CanvasCourse, CanvasModuleItem } from '../canvas/canvas.schemas.ts';
import type { CourseInput } from '../db/repositories/courses.repository.ts';
import type { ItemInput } from '../db/repositories/items.repository.ts';
import { sha256 } from '../shared/hash.ts';

export function toCourseInput(course: CanvasCourse): CourseInput {
  return {
    id: course.id,
    name: course.name,
    courseCode: course.course_code ?? null,
    workflowState: course.workflow_state ?? null,
    termName: course.term?.name ?? null,
  };
}

/** Maps a Canvas module item to our row; where its recordings live is discovery's business. */
export function toItemInput(item: CanvasModuleItem, courseId: number): ItemInput {
  const canvasFields = {
    id: item.id,
    moduleId: item.module_id,
    courseId,
    position: item.position,
    type: item.type,
    title: item.title,
    indent: item.indent ?? 0,
    canvasUrl: item.html_url ?? null,
    externalUrl: item.external_url ?? null,
    apiUrl: item.url ?? null,
    pageUrl: item.page_url ?? null,
    contentId: item.content_id ?? null,
  };
  return { ...canvasFields, canvasHash: sha256(JSON.stringify(canvasFields)) };
}

export interface SyncCounts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

export const emptyCounts = (): SyncCounts => ({ added: 0, updated: 0, removed: 0, unchanged: 0 });

export function tally(counts: SyncCounts, outcome: 'added' | 'updated' | 'unchanged'): void {
  counts[outcome] += 1;
}
