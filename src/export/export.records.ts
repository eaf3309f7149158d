/**
 * What the export builders read: a course's tree in Canvas order with the text of each item's
 * files already loaded. The builders are pure (records in, files out); `export.service.ts` loads
 * these from the repositories and the file store.
 */

/**
 * One stored file of an item: `none` when nothing was ever made, `missing` when its record
 * exists but the file is gone from the data folder (deleted by hand, a restored backup).
 */
export type StoredText =
  | { state: 'ready'; text: string; createdAt: Date }
  | { state: 'missing'; createdAt: Date }
  | { state: 'none' };

export interface ExportItem {
  id: number;
  /** Canvas's position in its module: file names are built from it, so they survive re-syncs. */
  position: number;
  title: string;
  /** Canvas's item type: `ExternalUrl`, `Page`, `File`, `SubHeader`, … */
  type: string;
  canvasUrl: string | null;
  /** The first source's provider (`panopto`, `reading`, `upload`, …); null when it holds none. */
  provider: string | null;
  /** The first recording's URL (readings and uploads are not recordings); null without one. */
  recordingUrl: string | null;
  notes: StoredText;
  /** Left `none` by loads that do not need transcripts (the one-document notes). */
  transcript: StoredText;
}

export interface ExportModule {
  id: number;
  position: number;
  title: string;
  /** Every item of the module in position order, those without notes included. */
  items: ExportItem[];
}

export interface ExportCourse {
  id: number;
  name: string;
  courseCode: string | null;
  /** In position order. */
  modules: ExportModule[];
}

/**
 * Whether the item holds something to take notes from (a recording, a reading, an upload) or
 * already has notes; headers, assignments and quizzes do not, and are never "missing" notes.
 * (A transcript implies a source: fetching one needs it, and an upload is one.)
 */
export const hasSource = (item: ExportItem): boolean => item.provider !== null || item.notes.state !== 'none';
