import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeCanvas,
  type FakeModuleItem,
  findModule,
  startFakeCanvas,
} from '../fakes/fake-canvas-server.ts';
import {
  expectNoBrokenResponses,
  launchBrowser,
  openPage,
  type PageWatch,
  type ServedApp,
  serveApp,
} from '../helpers/browser.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * What the page shows when answers come late, out of order or not at all, and when there is more
 * than one page of it: search results past the first twenty, a job whose POST answers after the
 * stream said it finished, an item that is gone, a server that stops answering.
 */

const TOKEN = 'page-state-token';
const COURSE = 7101;
const SEMINARS = 8101;
const READINGS = 8102;
const SEMINAR_COUNT = 25;
const IN_COURSE_VIEW = 9101;
const IN_ITEM_VIEW = 9102;
const REMOVED = 9103;
const UNANSWERED = 9104;

const seminars: FakeModuleItem[] = Array.from({ length: SEMINAR_COUNT }, (_, index) => ({
  id: 9200 + index,
  title: `Entropy seminar ${index + 1}`,
  type: 'ExternalUrl',
  external_url: `https://example.org/seminars/${index + 1}`,
}));
const reading = (id: number, slug: string, title: string): FakeModuleItem => ({
  id,
  title,
  type: 'Page',
  page_url: slug,
});
const page = (slug: string, words: string) => ({ url: slug, title: slug, body: `<p>${words}</p>` });

let canvas: FakeCanvas;
let served: ServedApp;
let browser: Browser;

beforeAll(async () => {
  [canvas, browser] = await Promise.all([
    startFakeCanvas({
      token: TOKEN,
      state: {
        courses: [
          {
            id: COURSE,
            name: 'Thermodynamics',
            course_code: 'PHY 210',
            workflow_state: 'available',
            term: { id: 1, name: 'Autumn' },
            modules: [
              { id: SEMINARS, name: 'Seminars', items: seminars },
              {
                id: READINGS,
                name: 'Readings',
                items: [
                  reading(IN_COURSE_VIEW, 'heat', 'Reading on heat'),
                  reading(IN_ITEM_VIEW, 'work', 'Reading on work'),
                  reading(REMOVED, 'gone', 'Reading Canvas will drop'),
                  reading(UNANSWERED, 'quiet', 'Reading while the server is away'),
                ],
              },
            ],
            pages: [
              page('heat', 'Heat flows from the warmer body to the colder one.'),
              page('work', 'Work is energy moved by a force along a distance.'),
              page('gone', 'This page is about to go.'),
              page('quiet', 'Nobody will answer for a while.'),
            ],
          },
        ],
      },
    }),
    launchBrowser(),
  ]);
  served = await serveApp({
    config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: TOKEN, timeoutMs: 2_000 } },
  });
  for (const url of ['/me/courses/refresh', `/courses/${COURSE}/modules/refresh`]) {
    const answer = await served.t.app.inject({ method: 'POST', url });
    expect(answer.statusCode).toBe(200);
  }
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await canvas?.close();
});

/** A fresh tab; `polling` cuts its event stream, so only its reloads tell it of changes. */
async function withTab(
  run: (tab: PageWatch, page: Page) => Promise<void>,
  { polling = false } = {},
): Promise<void> {
  const tab = await openPage(browser, served.origin);
  try {
    if (polling) {
      await tab.context.route(
        (url) => url.pathname === '/events',
        (route) => route.abort(),
      );
    }
    await run(tab, tab.page);
    expect(tab.errors).toEqual([]);
    expectNoBrokenResponses(tab);
  } finally {
    await tab.context.close();
  }
}

const itemStatus = async (id: number) =>
  (await served.t.app.inject({ method: 'GET', url: `/items/${id}` })).json().status as string;

/**
 * Holds the answer to the page's POST `/items/{id}/fetch-transcript` until the job it queued has
 * finished and the page has shown that (from the stream): the answer, "queued", arrives last.
 * `delivered` gives the job state of the held answer once the page has it.
 */
async function answerLate(
  target: Page,
  id: number,
  shownDone: () => Promise<unknown>,
): Promise<{ delivered: Promise<string> }> {
  const path = `/items/${id}/fetch-transcript`;
  let deliver: (state: string) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const delivered = new Promise<string>((resolve, reject) => {
    deliver = resolve;
    fail = reject;
  });
  await target.route(
    (url) => url.pathname === path,
    async (route: Route) => {
      try {
        const response = await route.fetch();
        await waitFor(async () => (await itemStatus(id)) === 'TRANSCRIPT_READY', {
          timeoutMs: 10_000,
          what: `item ${id} to have its transcript`,
        });
        await shownDone();
        await route.fulfill({ response });
        deliver((await response.json()).job.state);
      } catch (error) {
        fail(error);
      }
    },
  );
  return { delivered };
}

describe('search past the first page', () => {
  it('says how many of how many it shows, and shows the next page on request', async () => {
    await withTab(async (_tab, tab) => {
      await tab.goto(`${served.origin}/#/search?q=entropy`);
      const status = tab.locator('main [role="status"]').first();
      await tab.locator('.result').first().waitFor();
      expect(await status.innerText()).toBe(`20 of ${SEMINAR_COUNT} items shown.`);
      expect(await tab.locator('.result').count()).toBe(20);

      await tab.getByRole('button', { name: 'More results' }).click();
      await tab.locator('.result').nth(20).waitFor();
      expect(await tab.locator('.result').count()).toBe(SEMINAR_COUNT);
      expect(await status.innerText()).toBe(`${SEMINAR_COUNT} items found.`);
      expect(await tab.getByRole('button', { name: 'More results' }).count()).toBe(0);
      const ids = await tab.locator('.result').evaluateAll((rows) => rows.map((row) => row.dataset.itemId));
      expect(new Set(ids).size).toBe(SEMINAR_COUNT);
      // A keyboard user goes on from the first result the button added.
      expect(
        await tab
          .locator('.result')
          .evaluateAll((rows) => rows.findIndex((row) => row.contains(row.ownerDocument.activeElement))),
      ).toBe(20);
    });
  });
});

describe('answers that arrive out of order', () => {
  it('keeps a finished job finished in the course view when the POST that queued it answers last', async () => {
    await withTab(async (_tab, tab) => {
      const row = tab.locator(`[data-item-id="${IN_COURSE_VIEW}"]`);
      const { delivered } = await answerLate(tab, IN_COURSE_VIEW, () =>
        row.locator('[data-status="TRANSCRIPT_READY"]').waitFor({ timeout: 10_000 }),
      );
      await tab.goto(`${served.origin}/#/courses/${COURSE}`);
      await tab.locator('[data-live="live"]').waitFor();
      const fetchAgain = row.getByRole('button', { name: /^Fetch transcript/ });
      await fetchAgain.click();
      expect(await delivered).toBe('queued');
      // Not "waiting in the queue" with its buttons disabled.
      await expect.poll(() => fetchAgain.isEnabled(), { timeout: 3_000 }).toBe(true);
      expect(await row.locator('.job-line').count()).toBe(0);
      expect(await row.getByRole('button', { name: /^Summarize/ }).isEnabled()).toBe(true);
    });
  });

  it('keeps a finished job finished in the item view when the POST that queued it answers last', async () => {
    await withTab(async (_tab, tab) => {
      const { delivered } = await answerLate(tab, IN_ITEM_VIEW, () =>
        tab.locator('main .item-meta [data-status="TRANSCRIPT_READY"]').waitFor({ timeout: 10_000 }),
      );
      await tab.goto(`${served.origin}/#/items/${IN_ITEM_VIEW}`);
      await tab.locator('[data-live="live"]').waitFor();
      const fetchAgain = tab.getByRole('button', { name: /^Fetch transcript/ });
      await fetchAgain.click();
      expect(await delivered).toBe('queued');
      await expect.poll(() => fetchAgain.isEnabled(), { timeout: 3_000 }).toBe(true);
      expect(await tab.locator('main .job-line').count()).toBe(0);
      await tab.locator('.segment').first().waitFor();
    });
  });
});

describe('an item view whose reloads fail', () => {
  it('says the item is gone when a reload answers 404', async () => {
    await withTab(
      async (_tab, tab) => {
        await tab.goto(`${served.origin}/#/items/${REMOVED}`);
        await tab.getByRole('heading', { level: 1, name: 'Reading Canvas will drop' }).waitFor();
        await tab.locator('[data-live="polling"]').waitFor();

        const module = findModule(canvas.state, COURSE, READINGS);
        module.items = module.items.filter((item) => item.id !== REMOVED);
        const synced = await served.t.app.inject({
          method: 'POST',
          url: `/modules/${READINGS}/items/refresh`,
        });
        expect(synced.json().sync.items.removed).toBe(1);

        // The next poll's reload answers 404: the page says so instead of showing the item as it was.
        const note = tab.locator('main .error-note', { hasText: 'item.not_found' });
        await note.waitFor({ timeout: 10_000 });
        expect(await note.innerText()).toContain(`No item ${REMOVED}`);
      },
      { polling: true },
    );
  });

  it('says the server did not answer when a reload gets no answer', async () => {
    await withTab(
      async (_tab, tab) => {
        await tab.goto(`${served.origin}/#/items/${UNANSWERED}`);
        await tab.getByRole('heading', { level: 1, name: 'Reading while the server is away' }).waitFor();
        await tab.locator('[data-live="polling"]').waitFor();
        const away = (url: URL) => url.pathname === `/items/${UNANSWERED}`;
        await tab.context().route(away, (route) => route.abort());
        const note = tab.locator('main .error-note', { hasText: 'network.unreachable' });
        await note.waitFor({ timeout: 10_000 });

        // Back again: the next reload clears it.
        await tab.context().unroute(away);
        await note.waitFor({ state: 'detached', timeout: 10_000 });
        expect(await tab.getByRole('heading', { level: 1 }).innerText()).toBe(
          'Reading while the server is away',
        );
      },
      { polling: true },
    );
  });
});
