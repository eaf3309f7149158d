import { z } from 'zod';

/**
 * The Canvas payload fields we actually read, parsed at the client boundary so that no `any`
 * leaks inward. Unknown fields are dropped; optional ones are optional because Canvas omits
 * them by item type or by role (see shared reference §A5).
 */

const canvasId = z.number().int().nonnegative();

export const canvasCourseSchema = z.object({
  id: canvasId,
  name: z.string(),
  course_code: z.string().nullish(),
  workflow_state: z.string().nullish(),
  term: z.object({ name: z.string().nullish() }).nullish(),
});
export type CanvasCourse = z.infer<typeof canvasCourseSchema>;

/** Courses the user may not view yet come back as `{ id, access_restricted_by_date: true }`. */
export const restrictedCourseStubSchema = z.object({
  id: canvasId,
  access_restricted_by_date: z.literal(true),
});

export const canvasModuleItemSchema = z.object({
  id: canvasId,
  module_id: canvasId,
  position: z.number().int(),
  title: z.string(),
  /** File | Page | Discussion | Assignment | Quiz | SubHeader | ExternalUrl | ExternalTool | … */
  type: z.string(),
  indent: z.number().int().nullish(),
  html_url: z.string().nullish(),
  url: z.string().nullish(),
  external_url: z.string().nullish(),
  page_url: z.string().nullish(),
  content_id: canvasId.nullish(),
});
export type CanvasModuleItem = z.infer<typeof canvasModuleItemSchema>;

export const canvasModuleSchema = z.object({
  id: canvasId,
  name: z.string(),
  position: z.number().int(),
  items_count: z.number().int().nullish(),
  items_url: z.string().nullish(),
  /** Left out by Canvas for modules it considers too large (more than 100 items today). */
  items: z.array(canvasModuleItemSchema).nullish(),
});
export type CanvasModule = z.infer<typeof canvasModuleSchema>;

export const canvasPageSchema = z.object({
  url: z.string(),
  title: z.string(),
  body: z.string().nullish(),
});
export type CanvasPage = z.infer<typeof canvasPageSchema>;

/** A module together with every one of its items (fetched separately when Canvas left them out). */
export type CanvasModuleWithItems = Omit<CanvasModule, 'items'> & { items: CanvasModuleItem[] };

/**
 * What the rest of the service needs from Canvas. The real client talks HTTP; the demo account
 * implements the same interface from built-in data.
 */
export interface CanvasApi {
  listCourses(options?: { signal?: AbortSignal }): Promise<CanvasCourse[]>;
  getCourse(courseId: number, options?: { signal?: AbortSignal }): Promise<CanvasCourse>;
  /** All modules of a course, each with all of its items, in Canvas order. */
  listModulesWithItems(
    courseId: number,
    options?: { signal?: AbortSignal },
  ): Promise<CanvasModuleWithItems[]>;
  /** One module with all of its items. */
  getModuleWithItems(
    courseId: number,
    moduleId: number,
    options?: { signal?: AbortSignal },
  ): Promise<CanvasModuleWithItems>;
  getPage(courseId: number, pageUrl: string, options?: { signal?: AbortSignal }): Promise<CanvasPage>;
}
