import type { FakeCourse, FakeModule, FakeModuleItem } from './fake-canvas.fixture.ts';

/** Canvas JSON shapes rendered from the fixture (shared reference §A5, §F1, §F2). */

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
    item.type === 'SubHeader'
      ? undefined
      : item.type === 'ExternalUrl'
        ? `${origin}/api/v1/courses/${courseId}/module_item_redirect/${item.id}`
        : `${origin}/courses/${courseId}/modules/items/${item.id}`;
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
