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
export const restrictedCoursePlaceholderSchema = z.object({
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
  /** Only on the single-page endpoint; the Pages index leaves it out. */
  body: z.string().nullish(),
  updated_at: z.string().nullish(),
  /** A module lock or an unlock date: Canvas answers 200 without the body. */
  locked_for_user: z.boolean().nullish(),
});
export type CanvasPage = z.infer<typeof canvasPageSchema>;

/** An entry of the Pages index: enough to tell which pages changed since we last read them. */
export const canvasPageSummarySchema = canvasPageSchema.pick({ url: true, updated_at: true });
export type CanvasPageSummary = z.infer<typeof canvasPageSummarySchema>;

export const canvasFileSchema = z.object({
  id: canvasId,
  display_name: z.string(),
  filename: z.string().nullish(),
  'content-type': z.string().nullish(),
  size: z.number().int().nonnegative().nullish(),
  /** `https://<canvas>/files/:id/download?download_frd=1&verifier=…`; redirects to storage. */
  url: z.string().nullish(),
  updated_at: z.string().nullish(),
  /** Set for audio and video files: the Canvas media id (`m-…`). */
  media_entry_id: z.string().nullish(),
});
export type CanvasFile = z.infer<typeof canvasFileSchema>;

export const canvasMediaTrackSchema = z.object({
  id: canvasId,
  locale: z.string().nullish(),
  /** subtitles | captions | descriptions | chapters | metadata */
  kind: z.string().nullish(),
  /** With `include[]=webvtt_content`: the track as WebVTT, whatever it was uploaded as. */
  webvtt_content: z.string().nullish(),
  /** With `include[]=content`: the track as uploaded (SRT or WebVTT). */
  content: z.string().nullish(),
});
export type CanvasMediaTrack = z.infer<typeof canvasMediaTrackSchema>;

/** Which media the tracks belong to: an attachment (file) id, or a Kaltura-style media id. */
export type CanvasMediaTarget = { attachmentId: string } | { mediaId: string };

export interface CanvasDownload {
  bytes: Uint8Array;
  contentType: string | null;
}

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
  /**
   * Every page of the course without bodies, in one paginated request; `null` when the Pages
   * index is hidden from the user (404 "disabled", 401/403), so callers fall back to page reads.
   */
  listPages(courseId: number, options?: { signal?: AbortSignal }): Promise<CanvasPageSummary[] | null>;
  getPage(courseId: number, pageUrl: string, options?: { signal?: AbortSignal }): Promise<CanvasPage>;
  getFile(courseId: number, fileId: number, options?: { signal?: AbortSignal }): Promise<CanvasFile>;
  /** Caption tracks with their WebVTT text (reference §A5 Media). */
  listMediaTracks(target: CanvasMediaTarget, options?: { signal?: AbortSignal }): Promise<CanvasMediaTrack[]>;
  /**
   * A file's bytes. The token goes to Canvas only; Canvas answers with a redirect to signed
   * storage on another host, which is followed without it.
   */
  downloadFile(
    courseId: number,
    fileId: number,
    options?: { signal?: AbortSignal; maxBytes?: number },
  ): Promise<CanvasDownload>;
}
