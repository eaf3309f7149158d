import { mkdtempSync, rmSync } from 'node:fs';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { closeDb } from '../src/db/client.ts';
import { createDeps, type Deps } from '../src/deps.ts';
import { createBatchedLogger } from '../src/shared/logger.ts';
import { type LectureName, readLecture } from '../src/summarize/lectures.test-utils.ts';
import {
  type FakeCanvas,
  type FakeCanvasState,
  panoptoGuid,
  startFakeCanvas,
} from '../test/fakes/fake-canvas-server.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../test/fakes/fake-openai-server.ts';
import { type FakePanopto, startFakePanopto } from '../test/fakes/fake-panopto-server.ts';
import { srt } from '../test/helpers/srt.ts';

const TOKEN = 'bench-token';
const listenAddress = { host: '127.0.0.1', port: 0 };
export const COURSE_ID = 9001;
/** The first of the course's modules: one a week, `LECTURES_PER_MODULE` recordings each. */
export const MODULE_ID = 9101;
const LECTURES_PER_MODULE = 10;
const LECTURE_NAMES: readonly LectureName[] = ['ml-module-1', 'ml-module-3', 'ml-module-5'];

/**
 * A course of `lectures` Panopto recordings, ten a week as a Canvas module each; every recording's
 * captions are one of the real lectures' (thousands of words), so search has paragraphs to rank.
 */
function buildCourse(
  panopto: FakePanopto,
  lectures: number,
): { state: FakeCanvasState; lectureIds: number[] } {
  const captions = LECTURE_NAMES.map((name) =>
    readLecture(name)
      .split('\n')
      .filter((line) => line.trim() !== ''),
  );
  const lectureIds = Array.from({ length: lectures }, (_, index) => 91_001 + index);
  const modules = [];
  for (let start = 0; start < lectures; start += LECTURES_PER_MODULE) {
    const week = start / LECTURES_PER_MODULE;
    modules.push({
      id: MODULE_ID + week,
      name: `Week ${week + 1}`,
      items: lectureIds.slice(start, start + LECTURES_PER_MODULE).map((id, index) => ({
        id,
        title: `Week ${week + 1}, lecture ${index + 1}`,
        type: 'ExternalUrl',
        external_url: `${panopto.origin}/Panopto/Pages/Viewer.aspx?id=${panoptoGuid(id)}`,
      })),
    });
  }
  lectureIds.forEach((id, index) => {
    const lines = captions[index % captions.length] as string[];
    panopto.sessions.set(panoptoGuid(id), { kind: 'srt', body: srt([...lines, `End of lecture ${id}.`]) });
  });
  return {
    lectureIds,
    state: {
      courses: [
        {
          id: COURSE_ID,
          name: 'ML 101: Machine learning',
          course_code: 'ML101',
          workflow_state: 'available',
          term: null,
          pages: [],
          modules,
        },
      ],
    },
  };
}

export interface ReadsFixture {
  app: FastifyInstance;
  /** Bodies `GET /bench/prerendered/{index}` answers as they are: the app's floor for a body. */
  prerendered: Buffer[];
  deps: Deps;
  origin: string;
  /** The same app over the same database without the read cache: every answer built afresh. */
  coldOrigin: string;
  llm: FakeOpenAi;
  lectureIds: number[];
  close(): Promise<void>;
}

async function expectStatus(app: FastifyInstance, url: string, status: number): Promise<void> {
  const response = await app.inject({ method: 'POST', url });
  if (response.statusCode !== status) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
}

/**
 * The app as `main.ts` builds it (config from an env, LOG_LEVEL info, the OpenAI summarizer, a
 * file DB in its own DATA_DIR), listening on loopback, over a synced course of `lectures`
 * Panopto recordings, each with its transcript and notes. One route is the bench's own:
 * `/bench/prerendered/{index}` sends a stored body through the same app, hooks and request log,
 * without reading or writing anything. A second app on the same deps has no read cache
 * (`coldOrigin`), so the same reads can be measured built afresh. The log goes to the
 * null device through the same batched destination stdout gets, so the cost of what it writes
 * (during the bulk, the jobs' lines and the actions') counts.
 */
export async function startReadsFixture(lectures: number): Promise<ReadsFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), 'canvas-notes-reads-bench-'));
  const panopto: FakePanopto = await startFakePanopto();
  const course = buildCourse(panopto, lectures);
  const canvas: FakeCanvas = await startFakeCanvas({ token: TOKEN, state: course.state });
  const llm = await startFakeOpenAi();
  const config = loadConfig({
    DATA_DIR: dataDir,
    CANVAS_BASE_URL: canvas.baseUrl,
    CANVAS_TOKEN: TOKEN,
    OPENAI_BASE_URL: llm.baseUrl,
    OPENAI_API_KEY: 'bench',
    LOG_LEVEL: 'info',
    PORT: '0',
  });
  const logger = createBatchedLogger(config.log.level, devNull);
  const deps = createDeps(config, { logger });
  const app = await buildApp(deps);
  const prerendered: Buffer[] = [];
  app.get('/bench/prerendered/:index', async (request, reply) => {
    const { index } = request.params as { index: string };
    return reply
      .type('application/json; charset=utf-8')
      .send(prerendered[Number(index)] ?? Buffer.from('{}'));
  });
  const cold = await buildApp({
    ...deps,
    config: { ...config, http: { ...config.http, readCacheBytes: 0 } },
  });
  const [origin, coldOrigin] = [await app.listen(listenAddress), await cold.listen(listenAddress)];

  await expectStatus(app, '/me/courses/refresh', 200);
  await expectStatus(app, `/courses/${COURSE_ID}/modules/refresh`, 200);
  await expectStatus(app, `/courses/${COURSE_ID}/summarize`, 202);
  await deps.runner.runUntilEmpty();

  return {
    app,
    prerendered,
    deps,
    origin,
    coldOrigin,
    llm,
    lectureIds: course.lectureIds,
    async close() {
      await Promise.all([app.close(), cold.close()]);
      await deps.runner.stop({ graceMs: 0 });
      closeDb(deps.db);
      await Promise.all([canvas.close(), panopto.close(), llm.close()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
