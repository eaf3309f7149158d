/**
 * The API's JSON as the page reads it: a hand-kept mirror of the zod schemas in
 * `src/http/schemas.ts` (and the README's Endpoints), limited to the fields the page uses.
 * test/page-api-types.test.ts makes the typecheck fail when a schema no longer fits these.
 */

export type ItemStatus = 'DISCOVERED' | 'TRANSCRIPT_READY' | 'SUMMARY_READY' | 'FAILED';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export type JobKind = 'fetch_transcript' | 'summarize';

export interface ErrorInfo {
  code: string;
  message: string;
}

/** A server started with API_KEY tells a request without the key only `status`. */
export interface Health {
  status: 'ok';
  version?: string;
  mode?: 'demo' | 'canvas';
  summarizer?: string;
}

export interface SyncCounts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

export interface Course {
  id: number;
  name: string;
  course_code: string | null;
  term_name: string | null;
  last_synced_at: string | null;
}

export interface Module {
  id: number;
  course_id: number;
  title: string;
  position: number;
  item_count: number;
}

export interface Job {
  id: number;
  item_id: number | null;
  kind: JobKind;
  state: JobState;
  attempts: number;
  max_attempts: number;
  progress: { current: number; total: number; message: string | null } | null;
  error: ErrorInfo | null;
  updated_at: string;
}

export interface Item {
  id: number;
  course_id: number;
  module_id: number;
  position: number;
  type: string;
  title: string;
  indent: number;
  canvas_url: string | null;
  provider: string | null;
  status: ItemStatus;
  error: string | null;
  error_code: string | null;
  transcript_path: string | null;
  summary_path: string | null;
  media_links: { provider: string; url: string }[];
  updated_at: string;
}

export interface ItemDetail extends Item {
  job: Job | null;
}

export interface BulkJobs {
  jobs: Job[];
  skipped: { item_id: number; reason: 'no_transcript_source' | 'reading_excluded' | 'already_done' }[];
}

export interface Summary {
  item_id: number;
  markdown: string;
  model: string | null;
  created_at: string;
  summarizer: string | null;
}

export interface Segment {
  start_ms: number | null;
  start: string | null;
  text: string;
  /** The recording at this moment, where its host allows it. */
  link: string | null;
  /** Index in `sources` of its recording: each recording of an item restarts at 00:00:00. */
  source: number;
}

export interface Transcript {
  item_id: number;
  segments: Segment[];
  /** The item's recordings and readings, in order; empty for a transcript without cues. */
  sources: { heading: string; provider: string; url: string | null }[];
}

export interface SearchResult {
  item_id: number;
  course_id: number;
  module_id: number;
  title: string;
  type: string;
  status: ItemStatus;
  provider: string | null;
  match: 'title' | 'transcript' | 'notes';
  /** HTML-escaped text with `<mark>` around the matches; sanitized again before it is shown. */
  snippet: string;
  start_ms: number | null;
  start: string | null;
  link: string | null;
}

export interface SearchAnswer {
  query: string;
  results: SearchResult[];
  total: number;
}

/** `event: item_removed` of `GET /events`. */
export interface RemovedItem {
  id: number;
  course_id: number;
  module_id: number;
}
