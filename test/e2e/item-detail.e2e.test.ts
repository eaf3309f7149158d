import { afterEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('GET /items/{id}', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it("includes the item's artifact records as GET /items/{id}/artifacts lists them, so a detail view needs one request", async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const get = async (url: string) => (await t.app.inject({ method: 'GET', url })).json();
    expect((await get('/items/10001')).artifacts).toEqual([]);

    await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    await t.deps.runner.runUntilEmpty();
    const detail = await get('/items/10001');
    const { artifacts } = await get('/items/10001/artifacts');
    expect(artifacts.map((artifact: { kind: string }) => artifact.kind)).toEqual([
      'transcript',
      'cues',
      'summary',
    ]);
    expect(detail.artifacts).toEqual(artifacts);
    // The paths the item names are those of its records.
    const pathOf = (kind: string) =>
      artifacts.find((artifact: { kind: string }) => artifact.kind === kind)?.path;
    expect([detail.transcript_path, detail.summary_path]).toEqual([pathOf('transcript'), pathOf('summary')]);
  });
});
