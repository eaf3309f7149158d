import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSummarizer, type FakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('notes already written', () => {
  let t: TestApp;
  let summarizer: FakeSummarizer;
  beforeEach(async () => {
    summarizer = createFakeSummarizer();
    t = await createTestApp({ overrides: { summarizer } });
    await syncDemo(t.app, [101]);
    await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    await t.deps.runner.runUntilEmpty();
  });
  afterEach(async () => {
    await t.close();
  });

  const summarize = async (query = '') => {
    await t.app.inject({ method: 'POST', url: `/items/10001/summarize${query}` });
    await t.deps.runner.runUntilEmpty();
  };

  it('are kept, edits included, when summarizing again with nothing changed', async () => {
    const path = (await t.app.inject({ method: 'GET', url: '/items/10001' })).json().summary_path;
    writeFileSync(path, '# My own notes\n');
    await summarize();
    expect(summarizer.calls).toHaveLength(1);
    expect(readFileSync(path, 'utf8')).toBe('# My own notes\n');
  });

  it('are rewritten when forced', async () => {
    const path = (await t.app.inject({ method: 'GET', url: '/items/10001' })).json().summary_path;
    writeFileSync(path, '# My own notes\n');
    await summarize('?force=true');
    expect(summarizer.calls).toHaveLength(2);
    expect(readFileSync(path, 'utf8')).not.toBe('# My own notes\n');
  });
});
