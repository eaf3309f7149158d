import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config/config.test-utils.ts';
import { createLogger } from '../../src/shared/logger.ts';
import { createOpenAiSummarizer } from '../../src/summarize/openai.summarizer.ts';
import { type FakeCanvas, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../fakes/fake-openai-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { type FakeYouTube, startFakeYouTube } from '../fakes/fake-youtube-server.ts';
import { type FakeZoom, startFakeZoom } from '../fakes/fake-zoom-server.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';
import {
  echoingResponse,
  expectNoSecrets,
  filesUnder,
  readEventStream,
  secretNeedles,
} from '../helpers/secret-scan.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * A full run of the flow against fakes that need every credential, then the same flow with
 * every outbound host failing in the ways that tempt code to quote what it sent: error bodies
 * echoing the Authorization header, the cookie and the decoded Basic credentials, and network
 * failures naming the URL. No secret may appear in any log line (trace level), any response
 * (headers, bodies, the event stream, the export's files) or any file in DATA_DIR, the SQLite
 * database and its WAL included.
 */

const SECRET = {
  canvasToken: 'canvas-secret-7f3a9c1e55d0',
  openAiKey: 'sk-secret-4b8d2e6f90a1',
  panoptoCookie: 'panopto-secret-9e1c3a5b7702',
  zoomSecret: 'zoom-secret-2d4f6a8c13e9',
  apiKey: 'api-secret-5c7e9a1b3d5f7091a2b4c6d8e0f21436',
};
const ZOOM_CLIENT_ID = 'zoomClientId77';
const COURSE = 4242;
const MODULE = 4243;
const ITEM = { panopto: 1, zoom: 2, youtube: 3, reading: 4 } as const;
const SESSION = '44444444-4444-4444-8444-dddddddddddd';
const VIDEO = 'dQw4w9WgXcQ';
const ZOOM_TOKEN = 'z9Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoQ';

const NEEDLES = secretNeedles(SECRET, [[ZOOM_CLIENT_ID, SECRET.zoomSecret]]);

/** What every outbound request gets while a fault is set. */
type Fault = { status: number } | 'network' | null;

let canvas: FakeCanvas;
let panopto: FakePanopto;
let youtube: FakeYouTube;
let zoom: FakeZoom;
let llm: FakeOpenAi;
let t: TestApp;
let fault: Fault = null;
const faultedUrls: string[] = [];
const logs: string[] = [];
const captured: string[] = [];
let stream: { text: string; stop(): void };

beforeAll(async () => {
  [panopto, youtube, llm] = await Promise.all([startFakePanopto(), startFakeYouTube(), startFakeOpenAi()]);
  zoom = await startFakeZoom({ clientId: ZOOM_CLIENT_ID, clientSecret: SECRET.zoomSecret });
  canvas = await startFakeCanvas({
    token: SECRET.canvasToken,
    state: {
      courses: [
        {
          id: COURSE,
          name: 'SEC 101',
          course_code: 'SEC101',
          workflow_state: 'available',
          term: null,
          pages: [],
          files: [],
          modules: [
            {
              id: MODULE,
              name: 'Week 1',
              items: [
                { id: ITEM.panopto, title: 'Lecture 1', type: 'Page', page_url: 'lecture-1' },
                { id: ITEM.zoom, title: 'Review', type: 'Page', page_url: 'review' },
                { id: ITEM.youtube, title: 'Guest talk', type: 'Page', page_url: 'guest-talk' },
                { id: ITEM.reading, title: 'Reading guide', type: 'Page', page_url: 'reading' },
              ],
            },
          ],
        },
      ],
    },
  });
  const page = (url: string, body: string) => canvas.content.addPage(COURSE, { url, title: url, body });
  page(
    'lecture-1',
    `<iframe title="L1" src="${panopto.origin}/Panopto/Pages/Embed.aspx?id=${SESSION}"></iframe>`,
  );
  page('review', `<a href="https://example-edu.zoom.us/rec/share/${ZOOM_TOKEN}">Review session</a>`);
  page('guest-talk', `<iframe src="https://www.youtube.com/embed/${VIDEO}"></iframe>`);
  page('reading', '<h2>Before Thursday</h2><p>Read chapter 3 on membranes and osmosis carefully.</p>');
  // Restricted: captions only for the cookie, so a ready transcript proves the cookie was sent.
  panopto.sessions.set(SESSION, {
    kind: 'delivery',
    cookie: SECRET.panoptoCookie,
    tracks: [{ language: 0, lines: [{ Caption: 'The membrane has two layers.', Time: 0, Duration: 4 }] }],
  });
  youtube.videos.set(VIDEO, {
    tracks: [{ languageCode: 'en', name: 'English', cues: [[0, 3, 'Thank you all.']] }],
  });
  zoom.recordings.push({
    shareToken: ZOOM_TOKEN,
    startTime: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    transcript: 'WEBVTT\n\n1\n00:00:02.000 --> 00:00:06.000\nDr. Lee: Questions first.\n',
  });
  llm.respondWith((request) =>
    request.headers.authorization === `Bearer ${SECRET.openAiKey}`
      ? { kind: 'completion', content: '# Notes\n\n- Membranes have two layers.\n' }
      : { kind: 'error', status: 401, body: { error: { message: 'Incorrect API key provided.' } } },
  );

  const fakes = rewriteFetch({
    [canvas.baseUrl]: canvas.baseUrl,
    [panopto.origin]: panopto.origin,
    [new URL(llm.baseUrl).origin]: new URL(llm.baseUrl).origin,
    'https://www.youtube.com': youtube.origin,
    'https://zoom.us': zoom.origin,
    'https://*.zoom.us': zoom.origin,
  });
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (!fault) return fakes(input, init);
    const url = input instanceof Request ? input.url : String(input);
    faultedUrls.push(url);
    if (fault === 'network')
      throw new TypeError('fetch failed', { cause: new Error(`connect ECONNREFUSED ${url}`) });
    return echoingResponse(
      url,
      new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)),
      fault.status,
    );
  };
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const llmConfig = {
    ...testConfig().llm,
    apiKey: SECRET.openAiKey,
    baseUrl: llm.baseUrl,
    model: 'notes-model',
  };
  // The summarizer the factory builds from this config, without the SDK's own retry backoff
  // (seconds per failing request): the job system's retries still run, on test timings.
  const summarizer = createOpenAiSummarizer({
    ...llmConfig,
    notes: testConfig().notes,
    fetch,
    maxRetries: 0,
  });
  t = await createTestApp({
    config: {
      demo: false,
      canvas: { baseUrl: canvas.baseUrl, token: SECRET.canvasToken, timeoutMs: 2_000 },
      llm: llmConfig,
      panopto: { baseUrl: panopto.origin, cookie: SECRET.panoptoCookie },
      auth: { apiKey: SECRET.apiKey },
      zoom: {
        accountId: zoom.credentials.accountId,
        clientId: ZOOM_CLIENT_ID,
        clientSecret: SECRET.zoomSecret,
        shareLinks: false,
      },
    },
    overrides: { fetch, summarizer, logger: createLogger({ level: 'trace', destination }) },
  });
  stream = await readEventStream(
    await t.app.listen({ host: '127.0.0.1', port: 0 }),
    `Bearer ${SECRET.apiKey}`,
  );
});

afterAll(async () => {
  stream?.stop();
  await t?.close();
  await Promise.all([canvas, panopto, youtube, zoom, llm].map((fake) => fake?.close()));
});

async function call(
  method: 'GET' | 'POST',
  url: string,
  authorization = `Bearer ${SECRET.apiKey}`,
): Promise<LightMyRequestResponse> {
  const response = await t.app.inject({ method, url, headers: { authorization } });
  captured.push(`${method} ${url} → ${response.statusCode} ${JSON.stringify(response.headers)}`);
  captured.push(
    url.endsWith('.zip') && response.statusCode === 200
      ? Object.entries(unzipSync(response.rawPayload))
          .map(([name, data]) => `${name}\n${strFromU8(data)}`)
          .join('\n')
      : response.body,
  );
  return response;
}

async function runFlow(force: boolean) {
  const again = force ? '?force=1' : '';
  await call('POST', '/me/courses/refresh');
  await call('POST', `/courses/${COURSE}/modules/refresh`);
  await call('POST', `/modules/${MODULE}/items/refresh`);
  await call('POST', `/courses/${COURSE}/fetch-transcript${again}${force ? '&' : '?'}include=readings`);
  await t.deps.runner.runUntilEmpty();
  await call('POST', `/courses/${COURSE}/summarize${again}${force ? '&' : '?'}include=readings`);
  for (const id of Object.values(ITEM)) await call('POST', `/items/${id}/summarize${again}`);
  await t.deps.runner.runUntilEmpty();
}

async function readEverything() {
  for (const url of ['/health', '/courses', '/me/courses', `/courses/${COURSE}`]) await call('GET', url);
  for (const url of [`/courses/${COURSE}/modules`, `/modules/${MODULE}`, `/modules/${MODULE}/items`])
    await call('GET', url);
  await call('GET', `/items?course_id=${COURSE}`);
  await call('GET', `/courses/${COURSE}/progress`);
  for (const id of Object.values(ITEM)) {
    for (const tail of ['', '/transcript', '/summary', '/artifacts'])
      await call('GET', `/items/${id}${tail}`);
  }
  const jobs = (await call('GET', '/jobs?limit=200')).json() as { jobs: Array<{ id: number }> };
  for (const { id } of jobs.jobs) await call('GET', `/jobs/${id}`);
  for (let id = 1; id <= 12; id += 1) await call('GET', `/artifacts/${id}`);
  await call('GET', '/jobs?state=failed');
  await call('GET', '/search?q=membranes');
  await call('GET', `/courses/${COURSE}/notes.md`);
  await call('GET', `/modules/${MODULE}/notes.md`);
  await call('GET', `/courses/${COURSE}/export.zip`);
}

describe('secrets during a full run, failures included', () => {
  beforeAll(async () => {
    await runFlow(false);
    await readEverything();
    await call('GET', '/docs/json');
    for (const next of [{ status: 401 }, { status: 403 }, { status: 500 }, 'network'] as const) {
      fault = next;
      await runFlow(true);
      await call('GET', `/items?course_id=${COURSE}`);
      fault = null;
      await readEverything();
    }
    // Refused API keys: near misses, the key in the wrong scheme, and a key followed by junk.
    for (const authorization of [
      'Bearer wrong',
      `Bearer ${SECRET.apiKey.slice(0, -1)}`,
      `Basic ${Buffer.from(SECRET.apiKey).toString('base64')}`,
      `Bearer ${SECRET.apiKey} extra`,
      SECRET.apiKey,
    ]) {
      for (const url of ['/items', '/jobs', `/courses/${COURSE}/export.zip`, '/health'])
        await call('GET', url, authorization);
      await call('POST', '/me/courses/refresh', authorization);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }, 30_000);

  it('used every secret: each fake served only what the credentials unlock', async () => {
    const items = (await call('GET', `/items?course_id=${COURSE}`)).json() as {
      items: Array<{ id: number; transcript_path: string | null }>;
    };
    const withTranscript = items.items.filter((item) => item.transcript_path !== null).map((item) => item.id);
    expect(withTranscript).toEqual(expect.arrayContaining([ITEM.panopto, ITEM.zoom, ITEM.youtube]));
    expect(llm.requests.some((r) => r.headers.authorization === `Bearer ${SECRET.openAiKey}`)).toBe(true);
    expect(zoom.tokensIssued.length).toBeGreaterThan(0);
  });

  it('took every failure path: Canvas, the model, Panopto, YouTube and Zoom OAuth all failed once', () => {
    const hosts = faultedUrls.map((url) => `${new URL(url).origin}${new URL(url).pathname}`).join('\n');
    expect(hosts).toContain(canvas.baseUrl);
    expect(hosts).toContain(new URL(llm.baseUrl).origin);
    expect(hosts).toContain(panopto.origin);
    expect(hosts).toContain('https://www.youtube.com');
    expect(hosts).toContain('https://zoom.us/oauth/token');
  });

  it('never logs a secret', () => {
    expect(logs.length).toBeGreaterThan(50);
    expectNoSecrets(NEEDLES, 'the logs', logs);
  });

  it('never answers a secret, in headers, bodies, the event stream or the export', () => {
    expect(captured.join('\n')).toContain('Week 1');
    // The refused keys were refused: their answers are part of what was checked.
    expect(captured.join('\n')).toMatch(/GET \/items → 401/);
    expectNoSecrets(NEEDLES, 'the responses', captured);
    expect(stream.text).toContain('event:');
    expectNoSecrets(NEEDLES, 'the event stream', [stream.text]);
  });

  it('never stores a secret in DATA_DIR: the database (job and item errors), its WAL, the files', () => {
    const files = filesUnder(t.dataDir);
    expect(files.map(([path]) => path).join('\n')).toContain('canvas-notes.db');
    for (const [path, text] of files) expectNoSecrets(NEEDLES, path, [text]);
  });
});
