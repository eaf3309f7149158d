import { setTimeout as delay } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoBrokenResponses,
  launchBrowser,
  openPage,
  type ServedApp,
  serveApp,
} from '../helpers/browser.ts';
import { syncDemo } from '../helpers/demo-account.ts';

/**
 * How the page keeps up on the demo account: over its event stream while it can, by polling
 * while it cannot, and without holding a connection from every hidden tab (a browser gives a host
 * six over HTTP/1.1, and each tab's stream keeps one).
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

/**
 * Tells the page its tab was hidden or shown. Headless Chromium keeps every tab `visible`
 * whichever is in front (`bringToFront` changes nothing there), so the test says it the way the
 * browser would: `document.hidden`, `visibilityState` and a `visibilitychange` event.
 */
const setVisible = (target: Page, visible: boolean) =>
  target.locator('html').evaluate((root, shown) => {
    const doc = root.ownerDocument;
    Object.defineProperty(doc, 'hidden', { configurable: true, get: () => !shown });
    Object.defineProperty(doc, 'visibilityState', {
      configurable: true,
      get: () => (shown ? 'visible' : 'hidden'),
    });
    doc.dispatchEvent(new Event('visibilitychange'));
  }, visible);

/** The API reads `target` made whose path starts with one of `prefixes`, counted from now on. */
function countRequests(target: Page, prefixes: string[]): { readonly count: number; stop(): void } {
  let count = 0;
  const onRequest = (request: { url(): string }) => {
    const { pathname } = new URL(request.url());
    if (prefixes.some((prefix) => pathname.startsWith(prefix))) count++;
  };
  target.on('request', onRequest);
  return {
    get count() {
      return count;
    },
    stop: () => target.off('request', onRequest),
  };
}

describe('the page with many tabs open', () => {
  it("lets a hidden tab's stream go, so a seventh tab still loads and the first still gets answers", async () => {
    const watch = await openPage(browser, served.origin);
    const tabs = [watch.page];
    try {
      await watch.page.goto(`${served.origin}/#/courses/${COURSE}`);
      await watch.page.locator('[data-live="live"]').waitFor();
      for (let opened = 1; opened < 7; opened++) {
        const previous = tabs[tabs.length - 1] as Page;
        const next = await watch.context.newPage();
        tabs.push(next);
        await next.bringToFront();
        await setVisible(previous, false);
        // Six streams held open would leave this one no connection to load over.
        await next.goto(`${served.origin}/#/courses/${COURSE}`, { timeout: 5_000 });
        await next.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' }).waitFor({ timeout: 5_000 });
        await next.locator('[data-live="live"]').waitFor({ timeout: 5_000 });
      }
      const first = watch.page;
      const status = await first.evaluate(() =>
        Promise.race([
          fetch('/health').then((response) => response.status),
          new Promise((resolve) => setTimeout(() => resolve('no answer in 3 s'), 3_000)),
        ]),
      );
      expect(status).toBe(200);
      expect(await first.locator('.live-state').getAttribute('data-live')).not.toBe('live');

      // Shown again, the first tab opens a new stream and reloads what it shows, since a new
      // stream does not resume where the old one stopped.
      const reloads = countRequests(first, ['/items', '/courses/']);
      await setVisible(tabs[6] as Page, false);
      await first.bringToFront();
      await setVisible(first, true);
      await first.locator('[data-live="live"]').waitFor({ timeout: 5_000 });
      await expect.poll(() => reloads.count, { timeout: 5_000 }).toBeGreaterThan(0);
      reloads.stop();

      // The stream it opened works: a change made elsewhere shows without a reload.
      const queued = await served.t.app.inject({ method: 'POST', url: '/items/10002/fetch-transcript' });
      expect(queued.statusCode).toBe(202);
      await first
        .locator('[data-item-id="10002"] [data-status="TRANSCRIPT_READY"]')
        .waitFor({ timeout: 10_000 });
      expect(watch.errors).toEqual([]);
      expectNoBrokenResponses(watch);
    } finally {
      await watch.context.close();
    }
  });
});

describe('the page when its stream drops and comes back', () => {
  it('goes from Live to Polling and back to Live, and stops polling once the stream is back', async () => {
    const watch = await openPage(browser, served.origin);
    const { page } = watch;
    try {
      await page.goto(`${served.origin}/#/courses/${COURSE}`);
      await page.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' }).waitFor();
      await page.locator('[data-live="live"]').waitFor();

      // The stream drops (a proxy, the network) and cannot be opened again for a while.
      const stream = (url: URL) => url.pathname === '/events';
      await watch.context.route(stream, (route) => route.abort());
      served.t.app.server.closeAllConnections();
      await page.locator('[data-live="polling"]').waitFor({ timeout: 10_000 });
      const polls = countRequests(page, ['/items', '/modules', '/courses/']);
      await expect.poll(() => polls.count, { timeout: 8_000 }).toBeGreaterThan(0);
      polls.stop();

      await watch.context.unroute(stream);
      await page.locator('[data-live="live"]').waitFor({ timeout: 10_000 });
      // Settle: a new stream reloads once when it opens.
      await delay(500);
      const after = countRequests(page, ['/items', '/modules', '/courses/']);
      // Longer than two polling periods (3 s each).
      await delay(7_000);
      after.stop();
      expect(after.count).toBe(0);
      expect(await page.locator('.live-state').innerText()).toBe('Live');
      expect(watch.errors).toEqual([]);
      expectNoBrokenResponses(watch);
    } finally {
      await watch.context.close();
    }
  }, 40_000);
});

describe('the health check', () => {
  it('is asked again when the page reloads, so an early failure does not hide the demo banner for good', async () => {
    const watch = await openPage(browser, served.origin);
    const { page } = watch;
    try {
      // No stream, so the page polls; and the first health checks get no answer.
      const cut = (url: URL) => url.pathname === '/events' || url.pathname === '/health';
      await watch.context.route(cut, (route) => route.abort());
      await page.goto(`${served.origin}/`);
      await page.getByText('The canvas-notes server did not answer its health check').waitFor();
      expect(await page.getByRole('note').count()).toBe(0);

      await watch.context.unroute(cut);
      await page.getByRole('note').getByText('Demo account.').waitFor({ timeout: 10_000 });
      expect(await page.getByText('did not answer its health check').count()).toBe(0);
      expect(watch.errors).toEqual([]);
      expectNoBrokenResponses(watch);
    } finally {
      await watch.context.close();
    }
  });
});
