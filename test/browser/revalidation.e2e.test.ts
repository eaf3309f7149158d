import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, type ServedApp, serveApp } from '../helpers/browser.ts';
import { syncDemo } from '../helpers/demo-account.ts';

/**
 * The read cache's ETag as a browser uses it (read-cache.ts): the page's own reads carry no
 * caching code, yet a reload with nothing changed is answered 304 by the server and shows the
 * same course, from the browser's copy.
 */

const COURSE = 101;

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [served, browser] = await Promise.all([serveApp(), launchBrowser()]);
  await syncDemo(served.t.app, [COURSE]);
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

interface Line {
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
}

/** The status of every API read the server answered since `from` (an index into its log). */
function readsSince(from: number): Array<{ url: string; status: number }> {
  return served.t.logs
    .slice(from)
    .map((line) => JSON.parse(line) as Line)
    .filter((line) => line.msg === 'request completed' && line.req?.method === 'GET' && line.res)
    .map((line) => ({ url: line.req?.url ?? '', status: line.res?.statusCode ?? 0 }))
    .filter(({ url }) => /^\/(courses|modules|items)\b/.test(url));
}

it('revalidates its reads on a reload: 304s from the server, the same course on the page', async () => {
  // Not openPage's context: Playwright turns the browser's HTTP cache off in a context that
  // routes requests, and the page makes no request elsewhere here.
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const week1 = page.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' });
    const first = served.t.logs.length;
    await page.goto(`${served.origin}/#/courses/${COURSE}`);
    await week1.waitFor();
    const firstReads = readsSince(first);
    expect(firstReads.length).toBeGreaterThan(0);
    expect(firstReads.every(({ status }) => status === 200)).toBe(true);

    const reload = served.t.logs.length;
    await page.reload();
    await week1.waitFor();
    await page.locator('[data-live="live"]').waitFor();
    const reloaded = readsSince(reload);
    // Every URL read the first time was asked again, and answered without a body.
    for (const { url } of firstReads) {
      expect(reloaded, url).toContainEqual({ url, status: 304 });
    }
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});
