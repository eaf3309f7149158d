import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Timestamps are stored as epoch milliseconds and read back as `Date`s. */
const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const createdAt = () => timestamp('created_at').notNull();
const updatedAt = () => timestamp('updated_at').notNull();

export const ITEM_STATUSES = ['DISCOVERED', 'TRANSCRIPT_READY', 'SUMMARY_READY', 'FAILED'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** `cues` is the transcript's timed cues as JSON, beside the readable `transcript` text. */
export const ARTIFACT_KINDS = ['transcript', 'cues', 'summary'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export const JOB_KINDS = ['fetch_transcript', 'summarize'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** found: not fetched yet; ready: its words are in the transcript; failed: see its error. */
export const SOURCE_STATUSES = ['found', 'ready', 'failed'] as const;
export type SourceStatus = (typeof SOURCE_STATUSES)[number];

/** Ids are Canvas's own integer ids. */
export const courses = sqliteTable('courses', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  courseCode: text('course_code'),
  workflowState: text('workflow_state'),
  termName: text('term_name'),
  /** When the course's modules and items were last refreshed; null until the first refresh. */
  lastSyncedAt: timestamp('last_synced_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const modules = sqliteTable(
  'modules',
  {
    id: integer('id').primaryKey(),
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    position: integer('position').notNull(),
    lastSyncedAt: timestamp('last_synced_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('modules_course_position_idx').on(t.courseId, t.position)],
);

export const items = sqliteTable(
  'items',
  {
    id: integer('id').primaryKey(),
    moduleId: integer('module_id')
      .notNull()
      .references(() => modules.id, { onDelete: 'cascade' }),
    /** Denormalised from the module so that course-wide queries need no join. */
    courseId: integer('course_id')
      .notNull()
      .references(() => courses.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    indent: integer('indent').notNull().default(0),
    /** The item's page in Canvas's web UI (Canvas `html_url`). */
    canvasUrl: text('canvas_url'),
    /** Canvas `external_url` (ExternalUrl / ExternalTool items). */
    externalUrl: text('external_url'),
    /** Canvas API `url` of the content (pages, files, sessionless launches). */
    apiUrl: text('api_url'),
    /** Canvas content reference: `page_url` slug for pages, `content_id` for the rest. */
    pageUrl: text('page_url'),
    contentId: integer('content_id'),
    /** Hash of the Canvas fields we store, so a refresh can tell updated items from unchanged ones. */
    canvasHash: text('canvas_hash').notNull(),
    /** The first media source's provider and URL, denormalised for lists and filters. */
    provider: text('provider'),
    mediaUrl: text('media_url'),
    /**
     * What the page or file looked like when we last read it for recordings (a page's
     * `updated_at`, a file's id): a re-sync reads it again only when this changed.
     */
    contentVersion: text('content_version'),
    status: text('status', { enum: ITEM_STATUSES }).notNull().default('DISCOVERED'),
    errorCode: text('error_code'),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('items_module_position_idx').on(t.moduleId, t.position),
    index('items_course_idx').on(t.courseId),
    index('items_status_idx').on(t.status),
  ],
);

/** The record of one summary: what made it and what it cost. */
export interface SummaryDetails {
  summarizer: string;
  promptVersion: string;
  /** Parts the transcript was summarized in. */
  parts: number;
  /** Model requests, redone ones included. */
  calls: number;
  wallMs: number;
  /** Parts whose notes are not in the summary, and why. */
  leftOut: Array<{ part: number; startMs: number | null; reason: 'empty_reply' | 'nothing_to_summarize' }>;
  /** Times the check removed from the notes (outside the transcript's range). */
  timesDropped: number;
}

/** One current file per item and kind; replacing a transcript or summary replaces its row. */
export const artifacts = sqliteTable(
  'artifacts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ARTIFACT_KINDS }).notNull(),
    /** Path relative to DATA_DIR, e.g. `transcripts/42.txt`. */
    path: text('path').notNull(),
    /** SHA-256 of the file's content. */
    contentHash: text('content_hash').notNull(),
    /** SHA-256 of what it was made from (for summaries: transcript hash + summarizer settings). */
    sourceHash: text('source_hash'),
    model: text('model'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    /** How notes were made (summaries only; null for older summaries and other kinds). */
    details: text('details', { mode: 'json' }).$type<SummaryDetails>(),
    bytes: integer('bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('artifacts_item_kind_uq').on(t.itemId, t.kind)],
);

/**
 * The recordings (and readings) an item holds, found at sync or uploaded. One item may hold
 * several (a Page embedding two videos); `position` keeps the page's order.
 */
export const mediaSources = sqliteTable(
  'media_sources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    itemId: integer('item_id')
      .notNull()
      .references(() => items.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    provider: text('provider').notNull(),
    /** The provider's own reference (session id, media id, video id, share URL, file id). */
    ref: text('ref').notNull(),
    url: text('url'),
    title: text('title'),
    foundIn: text('found_in').notNull(),
    /** Provider extras as a JSON object of strings (a Zoom passcode, the Panopto host). */
    details: text('details', { mode: 'json' }).$type<Record<string, string>>().notNull(),
    status: text('status', { enum: SOURCE_STATUSES }).notNull().default('found'),
    errorCode: text('error_code'),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('media_sources_item_ref_uq').on(t.itemId, t.provider, t.ref),
    index('media_sources_item_idx').on(t.itemId, t.position),
  ],
);

/**
 * Durable jobs, in the main database so that enqueueing shares a transaction with the item
 * change that causes it. Claims follow liteque's design: a lease (`lease_expires_at`) plus a
 * compare-and-swap on `claim_id`, so a crashed worker's jobs become claimable again.
 */
export const jobs = sqliteTable(
  'jobs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: JOB_KINDS }).notNull(),
    /** Kept (as null) when the item is removed, so a job's history outlives a sync. */
    itemId: integer('item_id').references(() => items.id, { onDelete: 'set null' }),
    payload: text('payload', { mode: 'json' }).notNull(),
    state: text('state', { enum: JOB_STATES }).notNull().default('queued'),
    /** At most one active (queued or running) job per key: `${kind}:${item_id}`. */
    idempotencyKey: text('idempotency_key').notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    availableAt: timestamp('available_at').notNull(),
    leaseExpiresAt: timestamp('lease_expires_at'),
    claimId: text('claim_id'),
    cancelRequested: integer('cancel_requested', { mode: 'boolean' }).notNull().default(false),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    progressCurrent: integer('progress_current'),
    progressTotal: integer('progress_total'),
    progressMessage: text('progress_message'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [
    uniqueIndex('jobs_active_idempotency_uq')
      .on(t.idempotencyKey)
      .where(sql`${t.state} in ('queued', 'running')`),
    index('jobs_claim_idx').on(t.state, t.availableAt),
    index('jobs_item_idx').on(t.itemId),
  ],
);

export type CourseRow = typeof courses.$inferSelect;
export type ModuleRow = typeof modules.$inferSelect;
export type ItemRow = typeof items.$inferSelect;
export type ArtifactRow = typeof artifacts.$inferSelect;
export type MediaSourceRow = typeof mediaSources.$inferSelect;
export type JobRow = typeof jobs.$inferSelect;
