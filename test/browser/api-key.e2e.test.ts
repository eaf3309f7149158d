import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoBrokenResponses,
  launchBrowser,
  openPage,
  type ServedApp,
  serveApp,
} from '../helpers/browser.ts';

/** The page of a server started with API_KEY: it asks for the key once per tab and sends it on every call. */

const KEY = 'browser-test-key-0123456789abcdef-0123';
const COURSE = 101;
const withKey = { authorization: `Bearer ${KEY}` };

let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [served, browser] = await Promise.all([serveApp({ config: { auth: { apiKey: KEY } } }), launchBrowser()]);
  for (const url of ['/me/courses/refresh', `/courses/${COURSE}/modules/refresh`]) {
    expect((await served.t.app.inject({ method: 'POST', url, headers: withKey })).statusCode).toBe(200);
  }
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

describe('the page of a server with an API key', () => {
  it('asks for the key, refuses a wrong one, and then works: courses, live updates, reload, downloads', async () => {
    const watch = await openPage(browser, served.origin, { acceptDownloads: true });
    const { page } = watch;
    const streams: Array<string | undefined> = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/events') streams.push(request.headers().authorization);
    });
    page.setDefaultTimeout(10_000);
    try {
      await page.goto(`${served.origin}/`);
      const input = page.getByLabel('API key', { exact: true });
      await input.waitFor();
      await input.fill(`${KEY.slice(0, -1)}X`);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('alert').getByText('not the key this server was started with').waitFor();

      await input.fill(KEY);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('link', { name: 'BIO 101: Introduction to Cell Biology' }).click();
      await page.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' }).waitFor();
      // The stream, read with fetch since EventSource cannot send the key.
      await page.locator('[data-live="live"]').waitFor();
      const queued = await served.t.app.inject({
        method: 'POST',
        url: '/items/10002/fetch-transcript',
        headers: withKey,
      });
      expect(queued.statusCode).toBe(202);
      await page
        .locator('[data-item-id="10002"] [data-status="TRANSCRIPT_READY"]')
        .waitFor({ timeout: 10_000 });
      expect(streams.at(-1)).toBe(`Bearer ${KEY}`);

      // The tab keeps the key over a reload, and never puts it in a URL.
      await page.reload();
      await page.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' }).waitFor();
      await page.locator('[data-live="live"]').waitFor();
      expect(await page.getByLabel('API key', { exact: true }).count()).toBe(0);
      expect(page.url()).not.toContain(KEY);

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'All notes (.md)' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.md$/);
      const path = await download.path();
      const { readFile } = await import('node:fs/promises');
      expect(await readFile(path, 'utf8')).toContain('Introduction to Cell Biology');

      await page.getByRole('button', { name: 'Forget key' }).click();
      await page.getByLabel('API key', { exact: true }).waitFor();
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
      expect(watch.errors).toEqual([]);
      expectNoBrokenResponses(watch);
    } finally {
      await watch.context.close();
    }
  }, 30_000);
});

describe('the API reference under the security headers', () => {
  it('renders its operations with no policy violation, and offers to authorize', async () => {
    const watch = await openPage(browser, served.origin);
    const { page } = watch;
    try {
      page.setDefaultTimeout(4_000);
      await page.goto(`${served.origin}/docs`);
      await page.locator('.opblock').first().waitFor();
      expect(await page.locator('.opblock').count()).toBeGreaterThan(30);

      // Authorize with the key, then try an operation from the page.
      await page
        .getByRole('button', { name: /Authorize/ })
        .first()
        .click();
      await page.locator('.modal-ux input').fill(KEY);
      await page.locator('.modal-ux button.authorize').click();
      await page.locator('.modal-ux button.btn-done').click();
      const courses = page.locator('#operations-courses-get_courses');
      await courses.locator('.opblock-summary').click();
      await courses.getByRole('button', { name: 'Try it out' }).click();
      await courses.getByRole('button', { name: 'Execute' }).click();
      // 401 without the key: 200 says Swagger UI sent it.
      const status = courses.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      expect(await status.innerText()).toBe('200');
      expect(watch.errors).toEqual([]);
      expectNoBrokenResponses(watch);
    } finally {
      await watch.context.close();
    }
  });
});
