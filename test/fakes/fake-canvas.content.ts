import { createServer } from 'node:http';
import type { FakeCanvasState, FakeCourse, FakeFile, FakeMediaObject } from './fake-canvas.fixture.ts';
import {
  FORBIDDEN,
  fileBytes,
  fileUuid,
  NOT_FOUND,
  paginate,
  type Reply,
  renderFile,
  renderMediaTrack,
  renderPage,
  TAB_DISABLED,
} from './fake-canvas.render.ts';
import { listenOnLoopback } from './listen.ts';

/**
 * The fake's content routes: Pages, Files, file downloads and media tracks (reference §A5), with
 * the behaviour of `wiki_pages_api_controller.rb`, `attachment_json`, `files_controller.rb` and
 * `media_tracks_controller.rb` + `FilesHelper#load_media_object` in instructure/canvas-lms.
 */

export type ContentSettings = {
  /** The caller's user id: the media_objects route lists only this user's tracks. */
  userId: number;
  /**
   * Whether File JSON `url`s carry `verifier=<uuid>`. Canvas adds it for API callers unless the
   * `disable_adding_uuid_verifier_in_api` feature flag is on.
   */
  fileVerifiers: boolean;
  /**
   * Whether `/files/:id/download` honours the Bearer token. Canvas reads tokens only on `/api/`
   * requests (`load_pseudonym_from_access_token`), so without a verifier such a download may
   * bounce to the login page; which one hosted Canvas does is UNCONFIRMED, so both are here.
   */
  tokenOnFileDownloads: boolean;
};

export type ContentContext = {
  origin: string;
  state: FakeCanvasState;
  settings: ContentSettings;
  authorization: string | undefined;
  token: string;
  /** Where the download redirect points: the storage fake's origin, or a public name for it. */
  storageOrigin: string;
};

/** Answers a content route, or undefined when `url` is not one. */
export function routeContent(url: URL, ctx: ContentContext): Reply | undefined {
  const path = url.pathname;
  let match = /^\/api\/v1\/courses\/(\d+)\/pages(?:\/([^/]+))?$/.exec(path);
  if (match) return routePages(url, ctx, Number(match[1]), match[2]);
  match = /^\/api\/v1\/(?:courses\/(\d+)\/)?files\/(\d+)$/.exec(path);
  if (match) return routeFile(ctx, match[1] === undefined ? undefined : Number(match[1]), Number(match[2]));
  match = /^(?:\/courses\/\d+)?\/files\/(\d+)\/download$/.exec(path);
  if (match) return routeDownload(url, ctx, Number(match[1]));
  match = /^\/api\/v1\/media_attachments\/(\d+)\/media_tracks$/.exec(path);
  if (match) return attachmentTracks(url, ctx, Number(match[1]));
  match = /^\/api\/v1\/media_objects\/([^/]+)\/media_tracks$/.exec(path);
  if (match) return mediaObjectTracks(url, ctx, decodeURIComponent(match[1] ?? ''));
  if (path === '/login/canvas') {
    return { status: 200, body: LOGIN_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
  }
  return undefined;
}

function routePages(url: URL, ctx: ContentContext, courseId: number, key: string | undefined): Reply {
  const course = ctx.state.courses.find((c) => c.id === courseId);
  if (!course) return NOT_FOUND;
  const render = (page: FakeCourse['pages'][number], includeBody: boolean) =>
    renderPage({ origin: ctx.origin, courseId, page, pageId: pageId(course, page), includeBody });
  if (key === undefined) {
    if (course.pagesTabHidden) return TAB_DISABLED;
    // Students see published pages only; unpublished ones are what answer them 403 one by one.
    const visible = sortPages(
      course.pages.filter((page) => page.access !== 'unauthorized'),
      url.searchParams,
    );
    const page = paginate(visible, url, 'numeric');
    if (!page) return NOT_FOUND;
    return { status: 200, body: page.slice.map((p) => render(p, false)), headers: { Link: page.linkHeader } };
  }
  const wanted = decodeURIComponent(key);
  // Newer Canvas also accepts the numeric page_id (reference §A5 Pages).
  const page = course.pages.find((p) => p.url === wanted || String(pageId(course, p)) === wanted);
  if (!page) return NOT_FOUND;
  if (page.access === 'unauthorized') return FORBIDDEN;
  return { status: 200, body: render(page, true) };
}

function pageId(course: FakeCourse, page: FakeCourse['pages'][number]): number {
  return 66_100 + course.pages.indexOf(page);
}

function sortPages<T extends { title: string; updated_at?: string }>(
  pages: T[],
  query: URLSearchParams,
): T[] {
  const sort = query.get('sort');
  const key = (page: T) => (sort === 'updated_at' ? (page.updated_at ?? '') : page.title.toLowerCase());
  const sorted = [...pages].sort((a, b) => key(a).localeCompare(key(b)));
  return query.get('order') === 'desc' ? sorted.reverse() : sorted;
}

function routeFile(ctx: ContentContext, courseId: number | undefined, fileId: number): Reply {
  const courses =
    courseId === undefined ? ctx.state.courses : ctx.state.courses.filter((c) => c.id === courseId);
  const file = courses.flatMap((course) => course.files ?? []).find((f) => f.id === fileId);
  if (!file) return NOT_FOUND;
  return {
    status: 200,
    body: renderFile({ origin: ctx.origin, file, verifier: ctx.settings.fileVerifiers }),
  };
}

function findFile(state: FakeCanvasState, fileId: number): FakeFile | undefined {
  return state.courses.flatMap((course) => course.files ?? []).find((file) => file.id === fileId);
}

/**
 * `/files/:id/download` is a web route, not the API: it answers a verifier (or, as configured,
 * the token) with a redirect to signed storage on another host, and anyone else with the login
 * page, as Canvas does for a signed-out browser.
 */
function routeDownload(url: URL, ctx: ContentContext, fileId: number): Reply {
  const file = findFile(ctx.state, fileId);
  if (!file) {
    return { status: 404, body: NOT_FOUND_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
  }
  const verified = url.searchParams.get('verifier') === fileUuid(file);
  const tokenOk = ctx.settings.tokenOnFileDownloads && ctx.authorization === `Bearer ${ctx.token}`;
  if (!verified && !tokenOk)
    return { status: 302, body: '', headers: { Location: `${ctx.origin}/login/canvas` } };
  if (url.searchParams.get('download_frd') !== '1') {
    // Without download_frd Canvas serves an HTML page that starts the download in a browser.
    return { status: 200, body: PREVIEW_PAGE, headers: { 'Content-Type': 'text/html; charset=utf-8' } };
  }
  const location = new URL(
    `/files/${fileUuid(file)}/${encodeURIComponent(file.display_name)}`,
    ctx.storageOrigin,
  );
  location.searchParams.set('download', '1');
  location.searchParams.set('token', storageToken(file));
  return { status: 302, body: '', headers: { Location: location.href } };
}

/** `FilesHelper#load_media_object`: an unknown attachment or one that is not media is "unauthorized". */
function attachmentTracks(url: URL, ctx: ContentContext, attachmentId: number): Reply {
  const file = findFile(ctx.state, attachmentId);
  if (!file?.media_entry_id) return FORBIDDEN;
  const media = findMedia(ctx.state, file.media_entry_id);
  if (!media) return { status: 200, body: [] };
  // `media_tracks_include_originals`: the attachment's own tracks, plus the original media
  // object's tracks in the locales the attachment has not overridden.
  const own = media.tracks.filter((track) => track.attachment_id === attachmentId);
  const originals = media.tracks.filter(
    (track) => track.attachment_id === undefined && !own.some((o) => o.locale === track.locale),
  );
  return tracksReply(url, media, [...own, ...originals]);
}

/** The real gotcha (reference §A5 Media): this route lists only the caller's own tracks. */
function mediaObjectTracks(url: URL, ctx: ContentContext, mediaId: string): Reply {
  const media = findMedia(ctx.state, mediaId);
  if (!media) return FORBIDDEN;
  return tracksReply(
    url,
    media,
    media.tracks.filter((track) => track.user_id === ctx.settings.userId),
  );
}

function findMedia(state: FakeCanvasState, mediaId: string): FakeMediaObject | undefined {
  return state.mediaObjects?.find((media) => media.media_id === mediaId);
}

function tracksReply(url: URL, media: FakeMediaObject, tracks: FakeMediaObject['tracks']): Reply {
  // Rails reads `include[]=x` as an array; a bare `include=x` is not the documented form.
  const includes = url.searchParams.getAll('include[]');
  // Not paginated: the controller renders every track at once, with no Link header.
  return {
    status: 200,
    body: [...tracks].sort((a, b) => a.id - b.id).map((track) => renderMediaTrack(track, media.id, includes)),
  };
}

/** Signed-storage tokens: opaque to clients, checked by the storage fake. */
function storageToken(file: FakeFile): string {
  return Buffer.from(JSON.stringify({ file: file.id, uuid: fileUuid(file) })).toString('base64url');
}

export type FakeStorageRequest = { path: string; url: string; authorization: string | undefined };

export type FakeStorage = {
  /** `http://127.0.0.1:PORT`, the storage server's own address. */
  origin: string;
  requests: FakeStorageRequest[];
  close(): Promise<void>;
};

/**
 * The signed-storage host Canvas redirects downloads to (inst-fs or S3: another host, which must
 * never see the Canvas token). Serves a file's bytes for a valid token from `routeDownload`.
 */
export async function startFakeStorage(state: () => FakeCanvasState): Promise<FakeStorage> {
  const requests: FakeStorageRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://storage.invalid');
    requests.push({
      path: url.pathname,
      url: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
    });
    const uuid = /^\/files\/([^/]+)\/[^/]+$/.exec(url.pathname)?.[1];
    const file = state()
      .courses.flatMap((course) => course.files ?? [])
      .find((f) => fileUuid(f) === uuid);
    if (!file || url.searchParams.get('token') !== storageToken(file)) {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid or expired token' }));
      return;
    }
    const bytes = fileBytes(file);
    res.writeHead(200, {
      'Content-Type': file.content_type,
      'Content-Length': String(bytes.byteLength),
      'Content-Disposition': `attachment; filename="${encodeURIComponent(file.display_name)}"`,
    });
    res.end(bytes);
  });
  const { origin, close } = await listenOnLoopback(server);
  return { origin, requests, close };
}

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Log In to Canvas</title></head><body><form action="/login/canvas"></form></body></html>';
const PREVIEW_PAGE = '<!DOCTYPE html><html><body><a href="?download_frd=1">Download</a></body></html>';
const NOT_FOUND_PAGE = '<!DOCTYPE html><html><body><h2>Page Not Found</h2></body></html>';
