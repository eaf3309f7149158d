import { apiKey, isAuthCode } from './api-key.ts';
import type {
  BulkJobs,
  Course,
  Health,
  Item,
  ItemDetail,
  Job,
  Module,
  SearchAnswer,
  Summary,
  SyncCounts,
  Transcript,
} from './api-types.ts';

/** An answer in the API's one error shape, or a server that did not answer at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Anything thrown, as the `{code, message}` the page shows. */
export function errorInfo(error: unknown): { code: string; message: string } {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  return { code: 'page.error', message: error instanceof Error ? error.message : String(error) };
}

async function request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  const sent = apiKey.state.key;
  try {
    // Same origin: the API, the page and the event stream are one process.
    response = await fetch(path, {
      ...init,
      method,
      headers: { accept: 'application/json', ...apiKey.headers(), ...init.headers },
    });
  } catch {
    throw new ApiError(0, 'network.unreachable', 'The canvas-notes server did not answer.');
  }
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // A proxy's HTML error page, say: reported by status below.
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code === 'string' && typeof error.message === 'string') {
      // The prompt for the key takes over the page (see key-prompt.tsx).
      if (response.status === 401 && isAuthCode(error.code)) apiKey.refused(sent);
      throw new ApiError(response.status, error.code, error.message);
    }
    throw new ApiError(response.status, `http.${response.status}`, `The server answered ${response.status}.`);
  }
  return body as T;
}

const get = <T>(path: string) => request<T>('GET', path);
// No body and no content type: a bodiless POST is what every route accepts.
const post = <T>(path: string) => request<T>('POST', path);

const LIMIT = 200;
/** Search results per page (the endpoint's default; "More results" asks for the next). */
export const SEARCH_PAGE = 20;

/** Every page of a list, `limit` at a time. */
async function all<T>(path: string, key: 'items' | 'jobs'): Promise<T[]> {
  const found: T[] = [];
  for (let offset = 0; ; offset += LIMIT) {
    const separator = path.includes('?') ? '&' : '?';
    const page = await get<{ total: number } & Record<string, T[]>>(
      `${path}${separator}limit=${LIMIT}&offset=${offset}`,
    );
    const rows = page[key] ?? [];
    found.push(...rows);
    if (rows.length === 0 || found.length >= page.total) return found;
  }
}

/** Content types the upload endpoint reads, by file name; anything else is left to its sniffing. */
function uploadType(file: File): string | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.vtt')) return 'text/vtt';
  if (name.endsWith('.srt')) return 'application/x-subrip';
  if (name.endsWith('.txt')) return 'text/plain';
  return file.type || undefined;
}

export const api = {
  health: () => get<Health>('/health'),
  courses: () => get<{ courses: Course[] }>('/courses'),
  course: (id: number) => get<Course>(`/courses/${id}`),
  refreshCourses: () => post<{ courses: Course[]; sync: { courses: SyncCounts } }>('/me/courses/refresh'),
  modules: (courseId: number) => get<{ modules: Module[] }>(`/courses/${courseId}/modules`),
  module: (id: number) => get<Module>(`/modules/${id}`),
  refreshCourse: (id: number) =>
    post<{ modules: Module[]; sync: { modules: SyncCounts; items: SyncCounts } }>(
      `/courses/${id}/modules/refresh`,
    ),
  refreshModule: (id: number) =>
    post<{ items: Item[]; sync: { items: SyncCounts } }>(`/modules/${id}/items/refresh`),
  courseItems: (courseId: number) => all<Item>(`/items?course_id=${courseId}`, 'items'),
  /** The course's queued and running jobs. */
  activeJobs: async (courseId: number) => {
    const [queued, running] = await Promise.all([
      all<Job>(`/jobs?course_id=${courseId}&state=queued`, 'jobs'),
      all<Job>(`/jobs?course_id=${courseId}&state=running`, 'jobs'),
    ]);
    return [...queued, ...running];
  },
  item: (id: number) => get<ItemDetail>(`/items/${id}`),
  fetchTranscript: (id: number) => post<{ job: Job }>(`/items/${id}/fetch-transcript`),
  summarize: (id: number) => post<{ job: Job }>(`/items/${id}/summarize`),
  summarizeModule: (id: number) => post<BulkJobs>(`/modules/${id}/summarize`),
  summarizeCourse: (id: number) => post<BulkJobs>(`/courses/${id}/summarize`),
  summary: (id: number) => get<Summary>(`/items/${id}/summary`),
  transcript: (id: number) => get<Transcript>(`/items/${id}/transcript`),
  uploadTranscript: (id: number, file: File) => {
    const type = uploadType(file);
    return request<{ item_id: number; bytes: number }>('PUT', `/items/${id}/transcript`, {
      body: file,
      headers: type ? { 'content-type': type } : {},
    });
  },
  /** One page of results: `SEARCH_PAGE` from `offset`. */
  search: (query: string, courseId: number | null, offset = 0) => {
    const params = new URLSearchParams({ q: query, limit: String(SEARCH_PAGE), offset: String(offset) });
    if (courseId !== null) params.set('course_id', String(courseId));
    return get<SearchAnswer>(`/search?${params}`);
  },
};

/**
 * Downloads the export endpoints offer: links the browser saves, or, with an API key (which a
 * link cannot carry), fetched and saved from memory (see download-link.tsx).
 */
export const downloads = {
  courseNotes: (id: number) => `/courses/${id}/notes.md`,
  courseVault: (id: number) => `/courses/${id}/export.zip`,
  moduleNotes: (id: number) => `/modules/${id}/notes.md`,
};
