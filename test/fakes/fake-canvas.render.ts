import {
  type FakeCourse,
  type FakeFile,
  type FakeMediaTrack,
  type FakeModule,
  type FakeModuleItem,
  type FakePage,
  FIXTURE_UPDATED_AT,
} from './fake-canvas.fixture.ts';

/** Canvas JSON shapes rendered from the fixture (shared reference §A2, §A5, §F1–§F4). */

export type Reply = { status: number; body: unknown; headers?: Record<string, string> };

export const NOT_FOUND: Reply = {
  status: 404,
  body: { errors: [{ message: 'The specified resource does not exist.' }] },
};
/** `render_unauthorized_action` for an authenticated user (403 with `api_auth_error_updates`). */
export const FORBIDDEN: Reply = {
  status: 403,
  body: { status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] },
};
/** A course tab hidden from students (`tab_disabled_message`): note the shape without `errors`. */
export const TAB_DISABLED: Reply = {
  status: 404,
  body: { message: 'That page has been disabled for this course' },
};

const ITEM_URL_PATHS: Record<string, (item: FakeModuleItem) => string> = {
  Page: (item) => `pages/${item.page_url ?? ''}`,
  File: (item) => `files/${item.content_id}`,
  Assignment: (item) => `assignments/${item.content_id}`,
  Quiz: (item) => `quizzes/${item.content_id}`,
  Discussion: (item) => `discussion_topics/${item.content_id}`,
  ExternalTool: (item) =>
    `external_tools/sessionless_launch?launch_type=module_item&module_item_id=${item.id}`,
};

export function renderItem(options: {
  origin: string;
  courseId: number;
  moduleId: number;
  item: FakeModuleItem;
  position: number;
  contentDetails: boolean;
}): Record<string, unknown> {
  const { origin, courseId, item } = options;
  const external = item.type === 'ExternalUrl' || item.type === 'ExternalTool';
  const htmlUrl =
    item.html_url ??
    (item.type === 'SubHeader'
      ? undefined
      : item.type === 'ExternalUrl'
        ? `${origin}/api/v1/courses/${courseId}/module_item_redirect/${item.id}`
        : `${origin}/courses/${courseId}/modules/items/${item.id}`);
  const urlPath = ITEM_URL_PATHS[item.type]?.(item);
  return {
    id: item.id,
    module_id: options.moduleId,
    position: options.position,
    indent: item.indent ?? 0,
    title: item.title,
    type: item.type,
    html_url: htmlUrl,
    url: urlPath === undefined ? undefined : `${origin}/api/v1/courses/${courseId}/${urlPath}`,
    external_url: external ? item.external_url : undefined,
    page_url: item.type === 'Page' ? item.page_url : undefined,
    content_id: item.content_id,
    new_tab: external ? item.type === 'ExternalUrl' : undefined,
    content_details: options.contentDetails
      ? (item.content_details ?? { locked_for_user: false })
      : undefined,
  };
}

export function renderModule(options: {
  origin: string;
  courseId: number;
  module: FakeModule;
  position: number;
  includeItems: boolean;
  contentDetails: boolean;
  inlineItemsThreshold: number;
}): Record<string, unknown> {
  const { origin, courseId, module } = options;
  // Canvas inlines items only for modules small enough (today ≤ 100); larger ones just omit them.
  const inline = options.includeItems && module.items.length <= options.inlineItemsThreshold;
  return {
    id: module.id,
    name: module.name,
    position: options.position,
    unlock_at: null,
    require_sequential_progress: false,
    publish_final_grade: false,
    prerequisite_module_ids: [],
    state: 'started',
    completed_at: null,
    items_count: module.items.length,
    items_url: `${origin}/api/v1/courses/${courseId}/modules/${module.id}/items`,
    items: inline
      ? module.items.map((item, index) =>
          renderItem({
            origin,
            courseId,
            moduleId: module.id,
            item,
            position: index + 1,
            contentDetails: options.contentDetails,
          }),
        )
      : undefined,
  };
}

export function renderCourse(course: FakeCourse, includeTerm: boolean): Record<string, unknown> {
  if (course.restrictedByDate) return { id: course.id, access_restricted_by_date: true };
  return {
    id: course.id,
    uuid: `uuid-${course.id}`,
    name: course.name,
    course_code: course.course_code,
    workflow_state: course.workflow_state,
    account_id: 112,
    root_account_id: 1,
    enrollment_term_id: course.term?.id ?? 1,
    created_at: '2025-06-02T15:04:11Z',
    start_at: null,
    end_at: null,
    time_zone: 'America/Chicago',
    default_view: 'modules',
    enrollments: [
      { type: 'student', role: 'StudentEnrollment', role_id: 3, user_id: 90817, enrollment_state: 'active' },
    ],
    term: includeTerm ? course.term : undefined,
  };
}

export type PaginationStyle = 'numeric' | 'bookmark';

/**
 * Slices a collection like Canvas's `Api.paginate`: `per_page` defaults to 10 and is clamped to
 * 1..100; numeric pages past the end are empty; bookmark pages are opaque base64url tokens, and an
 * undecodable one is a 404 (returned as null). The Link header carries absolute URLs rebuilt
 * from the request's query minus `page`/`per_page`, which are appended last.
 */
export function paginate<T>(
  all: readonly T[],
  url: URL,
  style: PaginationStyle,
): { slice: T[]; linkHeader: string } | null {
  const requested = Number.parseInt(url.searchParams.get('per_page') ?? '', 10);
  const perPage = Number.isNaN(requested) ? 10 : Math.min(100, Math.max(1, requested));
  const offset = decodePage(url.searchParams.get('page'), style, perPage);
  if (offset === null) return null;

  const base = new URLSearchParams(url.searchParams);
  base.delete('page');
  base.delete('per_page');
  const prefix = `${url.origin}${url.pathname}?${base.toString() ? `${base.toString()}&` : ''}`;
  const link = (offsetOf: number, rel: string) =>
    `<${prefix}page=${encodePage(offsetOf, style, perPage)}&per_page=${perPage}>; rel="${rel}"`;

  const links = [link(offset, 'current')];
  if (offset + perPage < all.length) links.push(link(offset + perPage, 'next'));
  if (style === 'numeric' && offset > 0) links.push(link(Math.max(0, offset - perPage), 'prev'));
  links.push(link(0, 'first'));
  if (style === 'numeric')
    links.push(link(Math.max(0, Math.ceil(all.length / perPage) - 1) * perPage, 'last'));
  return { slice: all.slice(offset, offset + perPage), linkHeader: links.join(',') };
}

function encodePage(offset: number, style: PaginationStyle, perPage: number): string {
  if (style === 'numeric') return String(offset / perPage + 1);
  if (offset === 0) return 'first';
  return `bookmark:${Buffer.from(JSON.stringify([offset, 'position'])).toString('base64url')}`;
}

function decodePage(page: string | null, style: PaginationStyle, perPage: number): number | null {
  if (style === 'numeric') {
    const n = Number.parseInt(page ?? '1', 10);
    return (Number.isNaN(n) || n < 1 ? 0 : n - 1) * perPage;
  }
  if (page === null || page === 'first') return 0;
  if (!page.startsWith('bookmark:')) return null;
  try {
    const decoded: unknown = JSON.parse(
      Buffer.from(page.slice('bookmark:'.length), 'base64url').toString('utf8'),
    );
    const offset = Array.isArray(decoded) ? decoded[0] : undefined;
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : null;
  } catch {
    return null;
  }
}

/**
 * A Page as `wiki_page_json` builds it: the index (`includeBody: false`) and locked pages carry
 * no `body`; `updated_at` is the page's last revision.
 */
export function renderPage(options: {
  origin: string;
  courseId: number;
  page: FakePage;
  pageId: number;
  includeBody: boolean;
}): Record<string, unknown> {
  const { origin, courseId, page } = options;
  const locked = page.access === 'locked';
  return {
    page_id: options.pageId,
    url: page.url,
    title: page.title,
    created_at: '2025-08-25T09:00:00Z',
    updated_at: page.updated_at ?? FIXTURE_UPDATED_AT,
    hide_from_students: false,
    editing_roles: 'teachers',
    last_edited_by: { id: 30011, display_name: 'Dr. A. Rivera', avatar_image_url: null, html_url: null },
    published: true,
    front_page: false,
    html_url: `${origin}/courses/${courseId}/pages/${encodeURIComponent(page.url)}`,
    todo_date: null,
    publish_at: null,
    locked_for_user: locked,
    ...(locked
      ? {
          lock_info: { asset_string: `wiki_page_${options.pageId}`, context_module: { name: 'Week 5' } },
          lock_explanation: 'This page is part of the module <b>Week 5</b> and hasn&#39;t been unlocked yet.',
        }
      : {}),
    ...(options.includeBody && !locked ? { body: page.body } : {}),
  };
}

/** The File object of `attachment_json` (reference §A5 Files): note the hyphenated `content-type`. */
export function renderFile(options: {
  origin: string;
  file: FakeFile;
  verifier: boolean;
}): Record<string, unknown> {
  const { origin, file } = options;
  const uuid = fileUuid(file);
  const updatedAt = file.updated_at ?? FIXTURE_UPDATED_AT;
  const download = new URL(`/files/${file.id}/download`, origin);
  download.searchParams.set('download_frd', '1');
  if (options.verifier) download.searchParams.set('verifier', uuid);
  return {
    id: file.id,
    uuid,
    folder_id: 5501,
    display_name: file.display_name,
    filename: file.display_name.replace(/\s+/g, '_'),
    upload_status: 'success',
    'content-type': file.content_type,
    url: download.href,
    size: fileBytes(file).byteLength,
    created_at: updatedAt,
    updated_at: updatedAt,
    unlock_at: null,
    locked: false,
    hidden: false,
    lock_at: null,
    hidden_for_user: false,
    locked_for_user: false,
    thumbnail_url: null,
    modified_at: updatedAt,
    mime_class: mimeClass(file.content_type),
    media_entry_id: file.media_entry_id ?? null,
    category: 'uncategorized',
  };
}

/** `media_track_api_json`: five fields, plus only the whitelisted `include[]` ones asked for. */
export function renderMediaTrack(
  track: FakeMediaTrack,
  mediaObjectId: number,
  includes: readonly string[],
): Record<string, unknown> {
  const optional: Record<string, unknown> = {
    content: track.content,
    webvtt_content: track.webvtt_content ?? toWebVtt(track.content),
    created_at: track.created_at ?? FIXTURE_UPDATED_AT,
    updated_at: track.updated_at ?? track.created_at ?? FIXTURE_UPDATED_AT,
  };
  const result: Record<string, unknown> = {
    id: track.id,
    locale: track.locale,
    kind: track.kind,
    // The internal integer id, not the `m-…` media id (reference §A5 Media).
    media_object_id: mediaObjectId,
    user_id: track.user_id,
  };
  for (const field of includes) if (field in optional) result[field] = optional[field];
  return result;
}

/** Canvas stores every track as WebVTT too (`MediaTrack#webvtt_content`), converting SRT. */
export function toWebVtt(content: string): string {
  const text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.startsWith('WEBVTT')) return text;
  const cues = text.replace(/(\d{2}:\d{2}:\d{2}),(\d{3})/g, '$1.$2');
  return `WEBVTT\n\n${cues}`;
}

/** A stable per-file uuid; the download verifier is the file's uuid in Canvas. */
export function fileUuid(file: FakeFile): string {
  return `fV${file.id.toString(36).padStart(8, '0')}q3LmN4rXa1Kc0WbYe7HuJz3Go`;
}

export function fileBytes(file: FakeFile): Uint8Array {
  return typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
}

function mimeClass(contentType: string): string {
  if (contentType.startsWith('video/')) return 'video';
  if (contentType.startsWith('audio/')) return 'audio';
  if (contentType === 'application/pdf') return 'pdf';
  if (contentType.startsWith('text/html')) return 'html';
  if (contentType.startsWith('text/')) return 'text';
  return 'file';
}
