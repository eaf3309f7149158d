import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config/config.test-utils.ts';
import { closeDb } from '../../src/db/client.ts';
import { createDeps, type Deps } from '../../src/deps.ts';
import { createSilentLogger } from '../../src/shared/logger.ts';
import { WEB_BUILD_DIR } from '../../src/web/web-build-dir.ts';
import { type FakeCanvas, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { snapshot } from '../helpers/dir-snapshot.ts';
import { expectSafeAnswer, HOSTILE_SEGMENTS, openApiOperations, wirePath } from '../helpers/hostile-input.ts';
import { rawRequest } from '../helpers/raw-http.ts';

/**
 * DATA_DIR sits in a temporary folder of its own, next to canaries: a file with a secret text,
 * files named as the store names its own (`transcripts/1.txt`, so a store resolving keys against
 * the wrong folder would find them), and a sibling folder whose name starts like DATA_DIR's
 * (`data-evil`, which a prefix check without a separator would let through). Every route that
 * reads or writes files is then sent traversals; Canvas titles that look like paths flow into
 * the export. No canary may be read, changed or joined by a new file, and the page's build
 * folder must stay as it was.
 */

const CANARY = `CANARY-${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 16)}`;
const COURSE = 6100;
const MODULE = 6101;
const HOSTILE_TITLES = [
  '../../../../canary.txt',
  '..\\..\\..\\canary.txt',
  '/etc/passwd',
  'C:\\Windows\\win.ini',
  '..',
  '.',
  'a\u0000b',
  'CON',
  '%2e%2e%2fcanary.txt',
  '\u202Etxt.exe',
];
const ITEM_IDS = HOSTILE_TITLES.map((_, index) => index + 1);
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

let parent: string;
let dataDir: string;
let canvas: FakeCanvas;
let deps: Deps;
let app: FastifyInstance;
let before: { parent: Map<string, string>; web: Map<string, string> };
const answers: string[] = [];

async function send(
  method: string,
  url: string,
  options: { headers?: Record<string, string>; payload?: string } = {},
) {
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers: options.headers,
    payload: options.payload,
  });
  answers.push(`${method} ${url} → ${response.statusCode} ${response.body}`);
  expectSafeAnswer(`${method} ${url}`, {
    status: response.statusCode,
    contentType: response.headers['content-type']?.toString(),
    text: response.body,
  });
  return response;
}

beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'canvas-notes-confine-'));
  dataDir = join(parent, 'data');
  writeFileSync(join(parent, 'canary.txt'), CANARY);
  writeFileSync(join(parent, 'package.json'), `{"name":"${CANARY}"}`);
  for (const folder of [parent, join(parent, 'data-evil')]) {
    mkdirSync(join(folder, 'transcripts'), { recursive: true });
    mkdirSync(join(folder, 'summaries'), { recursive: true });
    for (const id of ITEM_IDS) {
      writeFileSync(join(folder, 'transcripts', `${id}.txt`), CANARY);
      writeFileSync(join(folder, 'summaries', `${id}.md`), CANARY);
    }
  }
  before = { parent: snapshot(parent), web: snapshot(WEB_BUILD_DIR) };

  canvas = await startFakeCanvas({
    state: {
      courses: [
        {
          id: COURSE,
          name: '../../../../canary',
          course_code: '..\\..\\canary',
          workflow_state: 'available',
          term: null,
          pages: [],
          files: [],
          modules: [
            {
              id: MODULE,
              name: '/etc/../../canary',
              items: HOSTILE_TITLES.map((title, index) => ({
                id: index + 1,
                title,
                type: 'Page',
                page_url: `page-${index + 1}`,
              })),
            },
          ],
        },
      ],
    },
  });
  HOSTILE_TITLES.forEach((title, index) => {
    canvas.content.addPage(COURSE, {
      url: `page-${index + 1}`,
      title,
      body: `<h2>${title}</h2>${`<p>Read ${title} before the lecture: chapter ${index + 1} explains how membranes keep the inside of a cell apart from the outside.</p>`.repeat(8)}`,
    });
  });
  // DATA_DIR given relative, as users write it: the store must resolve it once, to this folder.
  const config = testConfig({
    demo: false,
    canvas: { baseUrl: canvas.baseUrl, token: canvas.token, timeoutMs: 2_000 },
    storage: { dataDir: relative(process.cwd(), dataDir), dbPath: join(dataDir, 'canvas-notes.db') },
  });
  mkdirSync(dataDir, { recursive: true });
  deps = createDeps(config, {
    logger: createSilentLogger(),
    runner: { pollIntervalMs: 10, heartbeatMs: 50, leaseMs: 2_000, retryBaseMs: 5 },
  });
  app = await buildApp(deps);
  await app.ready();

  for (const url of ['/me/courses/refresh', `/courses/${COURSE}/modules/refresh`]) {
    expect((await send('POST', url)).statusCode).toBe(200);
  }
  await send('POST', `/courses/${COURSE}/fetch-transcript?include=readings`);
  await deps.runner.runUntilEmpty();
  await send('POST', `/courses/${COURSE}/summarize?include=readings`);
  await deps.runner.runUntilEmpty();
});

afterAll(async () => {
  await app?.close();
  await deps?.runner.stop({ graceMs: 500 });
  if (deps) closeDb(deps.db);
  await canvas?.close();
  if (parent) rmSync(parent, { recursive: true, force: true });
});

/** Traversals in every spelling, some aimed at the canary from DATA_DIR and from the web root. */
function traversals(): string[] {
  const fromAssets = relative(join(WEB_BUILD_DIR, 'assets'), join(parent, 'canary.txt'));
  const toCanary = [fromAssets, fromAssets.split(sep).join('\\'), join(parent, 'canary.txt')];
  return [
    ...HOSTILE_SEGMENTS,
    ...toCanary.map(encodeURIComponent),
    ...toCanary.map((path) => encodeURIComponent(encodeURIComponent(path))),
    '..%2f..%2fcanary.txt',
    '..%5c..%5ccanary.txt',
    '%2e%2e%2f%2e%2e%2fcanary.txt',
    '%252e%252e%252fcanary.txt',
    '..%00.txt',
    '1%00..%2f..%2fcanary.txt',
    '....%2f%2f....%2f%2fcanary.txt',
    '..;%2fcanary.txt',
    '%c0%ae%c0%ae%c0%afcanary.txt',
  ];
}

describe('DATA_DIR confinement', () => {
  it('answers traversals in the id of every file route without reading outside DATA_DIR', async () => {
    // The routes that read, write or name files, and those that start jobs which do.
    const touchesFiles = /^\/items\/\{id\}|^\/artifacts|notes\.md$|export\.zip$|fetch-transcript$|summarize$/;
    const routes = openApiOperations(app).filter((o) => touchesFiles.test(o.path));
    expect(routes.length).toBeGreaterThan(12);
    for (const { method, path } of routes) {
      for (const segment of traversals()) {
        const response = await send(method, wirePath(path, segment, ''));
        // A dot segment (`%2e%2e` too) is resolved away by the URL parser, naming another route.
        if (/^(\.|%2e){1,2}$/i.test(segment)) continue;
        expect(response.statusCode, `${method} ${path} with ${segment}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect(answers.join('\n')).not.toContain(CANARY);
  });

  it('serves only the build folder from /assets and only its own files from /docs', async () => {
    const fromAssets = relative(join(WEB_BUILD_DIR, 'assets'), join(parent, 'canary.txt'));
    const tails = [
      ...traversals(),
      fromAssets,
      fromAssets.replaceAll('/', '%2f'),
      'package.json',
      '..%2f..%2fpackage.json',
      '..%2f..%2f..%2fpackage.json',
      '%2e%2e/%2e%2e/%2e%2e/package.json',
      '..%5c..%5c..%5cpackage.json',
      '%252e%252e%252f%252e%252e%252fpackage.json',
      '....//....//package.json',
      `${'..%2f'.repeat(12)}etc%2fpasswd`,
    ];
    for (const prefix of ['/assets/', '/docs/static/', '/docs/']) {
      for (const tail of tails) await send('GET', `${prefix}${tail}`);
    }
    // On the wire the path arrives unnormalised, dot segments and backslashes as they are.
    for (const path of [
      '/assets/../../package.json',
      '/assets/../../../package.json',
      `/assets/${fromAssets}`,
      '/assets/..\\..\\package.json',
      '/docs/static/../../../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
    ]) {
      const raw = await rawRequest(
        app,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      answers.push(`wire GET ${path} → ${raw}`);
      expect(Number(raw.split(' ')[1]), `${path}: ${raw.slice(0, 300)}`).toBeLessThan(500);
    }
    const all = answers.join('\n');
    expect(all).not.toContain(CANARY);
    // No package.json reached the client: the repo's, swagger-ui's, or any other.
    expect(all).not.toContain('"devDependencies"');
    expect(all).not.toMatch(/root:.*:0:0:/);
  });

  it('stores an upload under its storage key, whatever names its headers carry', async () => {
    const uploads: Array<Record<string, string>> = [
      { 'content-type': 'text/plain', 'content-disposition': 'attachment; filename="../../canary.txt"' },
      {
        'content-type': 'text/plain',
        'content-disposition': "attachment; filename*=UTF-8''..%2F..%2Fcanary.txt",
      },
      { 'content-type': 'text/plain; name="../../canary.txt"', 'x-file-name': '/etc/passwd' },
      {
        'content-type': 'text/vtt; charset=utf-8',
        'content-disposition': 'form-data; name="file"; filename="..\\..\\x.vtt"',
      },
    ];
    for (const headers of uploads) {
      const response = await send('PUT', '/items/1/transcript', {
        headers,
        payload: 'WEBVTT\n\n00:00.000 --> 00:01.000\n../../canary.txt\n',
      });
      expect(response.statusCode, response.body).toBe(200);
    }
    const files = snapshot(dataDir);
    for (const name of files.keys()) {
      expect(name).toMatch(
        /^(canvas-notes\.db(-wal|-shm)?|transcripts\/[0-9]+\.(txt|json)|summaries\/[0-9]+\.md)$/,
      );
    }
  });

  it('reports every file path inside DATA_DIR', async () => {
    const items = (await send('GET', `/items?course_id=${COURSE}&limit=100`)).json().items as Array<{
      id: number;
      transcript_path: string | null;
      summary_path: string | null;
    }>;
    expect(items.filter((item) => item.summary_path).length, JSON.stringify(items)).toBe(ITEM_IDS.length);
    const paths = items.flatMap((item) => [item.transcript_path, item.summary_path]);
    for (const id of ITEM_IDS) {
      for (const artifact of (await send('GET', `/items/${id}/artifacts`)).json().artifacts) {
        paths.push(artifact.path, (await send('GET', `/artifacts/${artifact.id}`)).json().path);
      }
    }
    for (const path of paths.filter((p): p is string => p !== null)) {
      expect(resolve(path).startsWith(resolve(dataDir) + sep), path).toBe(true);
    }
    for (const id of ITEM_IDS) {
      expect((await send('GET', `/items/${id}/summary`)).body).not.toContain(CANARY);
      expect((await send('GET', `/items/${id}/transcript`)).body).not.toContain(CANARY);
    }
  });

  it('exports Canvas titles that look like paths as plain names: no entry can escape the folder it is unzipped into', async () => {
    const zip = await send('GET', `/courses/${COURSE}/export.zip`);
    expect(zip.statusCode).toBe(200);
    const names = Object.keys(unzipSync(zip.rawPayload));
    expect(names.length).toBeGreaterThan(ITEM_IDS.length);
    for (const name of names) {
      expect(isAbsolute(name) || /^[a-zA-Z]:/.test(name), name).toBe(false);
      expect(name.split('/'), name).not.toContain('..');
      expect(name.includes('\\') || name.includes('\u0000'), name).toBe(false);
    }
    for (const url of [
      `/courses/${COURSE}/export.zip`,
      `/courses/${COURSE}/notes.md`,
      `/modules/${MODULE}/notes.md`,
    ]) {
      const disposition = String((await send('GET', url)).headers['content-disposition']);
      const ascii = /filename="([^"]*)"/.exec(disposition)?.[1] ?? '';
      // One plain segment: no separator, not hidden, not a dot segment (dots inside are harmless).
      expect(ascii, disposition).not.toMatch(/[/\\]|^\./);
    }
  });

  it('left everything outside DATA_DIR as it was: no canary read, changed or joined by a new file', () => {
    expect(snapshot(parent, dataDir)).toEqual(before.parent);
    // The build folder by names and content: another test run may rebuild it meanwhile (same
    // names, new times), but nothing this run sent may land in it.
    const web = snapshot(WEB_BUILD_DIR);
    expect([...web.keys()].sort()).toEqual([...before.web.keys()].sort());
    for (const name of web.keys()) {
      expect(readFileSync(join(WEB_BUILD_DIR, name), 'utf8'), name).not.toContain(CANARY);
    }
    expect(readFileSync(join(parent, 'canary.txt'), 'utf8')).toBe(CANARY);
    expect(answers.join('\n')).not.toContain(CANARY);
    // The repo gained no folder named as the store's (a DATA_DIR resolved against the wrong base).
    expect(readdirSync(REPO_ROOT)).not.toContain('transcripts');
    expect(readdirSync(REPO_ROOT)).not.toContain('summaries');
  });
});
