import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb } from '../../src/db/client.ts';
import { isAppError } from '../../src/shared/errors.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** What the thin routes rely on their one service call to do. */
describe('the services behind the module, health and transcript routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
  });
  afterEach(async () => {
    await t.close();
  });

  const codeOf = (run: () => unknown): string | undefined => {
    try {
      run();
    } catch (error) {
      return isAppError(error) ? error.code : 'not an AppError';
    }
    return undefined;
  };

  it('says module.not_found when listing the items of a module not in the cache', async () => {
    expect(codeOf(() => t.deps.services.items.listByModule(424242))).toBe('module.not_found');
    const response = await t.app.inject({ method: 'GET', url: '/modules/424242/items' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('module.not_found');
    expect(t.deps.services.items.listByModule(1001).map(({ item }) => item.id)).toEqual([
      10000, 10001, 10002, 10003, 10004, 10005,
    ]);
  });

  it("answers a module refresh with the module's items and their files", async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    const response = await t.app.inject({ method: 'POST', url: '/modules/1001/items/refresh' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items.map((item: { id: number }) => item.id)).toEqual([
      10000, 10001, 10002, 10003, 10004, 10005,
    ]);
    expect(body.items[1].transcript_path).toMatch(/10001\.txt$/);
    expect(body.sync.items).toMatchObject({ added: 0, removed: 0 });
  });

  it('gives the transcript with its timed segments from the item-content service', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    const { segments, text } = await t.deps.services.itemContent.transcriptSegments(10001);
    expect(segments.length).toBeGreaterThan(0);
    expect(text).toContain(segments[0]?.text.slice(0, 20));
    const response = await t.app.inject({
      method: 'GET',
      url: '/items/10001/transcript',
      headers: { accept: 'application/json' },
    });
    expect(response.json().segments).toHaveLength(segments.length);
  });

  it('answers /health with 503 health.database_unavailable once the database is closed', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ database: 'ok' });
    closeDb(t.deps.db);
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('health.database_unavailable');
  });
});
