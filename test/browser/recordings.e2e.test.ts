import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCanvas, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../fakes/fake-openai-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import {
  expectNoBrokenResponses,
  launchBrowser,
  openPage,
  type PageWatch,
  type ServedApp,
  screenshot,
  serveApp,
} from '../helpers/browser.ts';
import { COURSE_ID, ITEM_ID, twoRecordingsCourse } from '../helpers/two-recordings-course.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * An item whose Page embeds two Panopto recordings, each starting at 00:00:00. A time chosen in
 * the transcript shows that segment of that recording; a bare time (the notes', a search hit's
 * `?t=`) could be in either, so it moves nothing.
 */

const NOTES = ['# Week 2', '', '## Enzymes', '- [00:00:04] Enzymes are not used up.'].join('\n');

let panopto: FakePanopto;
let canvas: FakeCanvas;
let llm: FakeOpenAi;
let served: ServedApp;
let browser: Browser;
let tab: PageWatch;
let page: Page;

beforeAll(async () => {
  [panopto, llm, browser] = await Promise.all([
    startFakePanopto(),
    startFakeOpenAi({ responder: () => ({ kind: 'completion', content: NOTES }) }),
    launchBrowser(),
  ]);
  const course = twoRecordingsCourse({ panoptoOrigin: panopto.origin });
  course.serveAll(panopto);
  canvas = await startFakeCanvas({ state: course.state });
  served = await serveApp({
    config: {
      demo: false,
      canvas: { baseUrl: canvas.baseUrl, token: canvas.token, timeoutMs: 2_000 },
      llm: { apiKey: 'sk-recordings-test', baseUrl: llm.baseUrl },
    },
  });
  const { app } = served.t;
  for (const url of [
    '/me/courses/refresh',
    `/courses/${COURSE_ID}/modules/refresh`,
    `/items/${ITEM_ID}/summarize`,
  ]) {
    const response = await app.inject({ method: 'POST', url });
    expect(response.statusCode, response.body).toBeLessThan(300);
  }
  await waitFor(
    async () =>
      (await app.inject({ method: 'GET', url: `/items/${ITEM_ID}` })).json().status === 'SUMMARY_READY',
    { timeoutMs: 15_000, what: 'the notes' },
  );
  tab = await openPage(browser, served.origin);
  page = tab.page;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await Promise.all([canvas?.close(), panopto?.close(), llm?.close()]);
});

const segment = (text: string): Locator => page.locator('.segment', { hasText: text });
const current = () => page.locator('.segment[aria-current="true"]');

async function openItem(hash = `#/items/${ITEM_ID}`): Promise<void> {
  await page.goto(`${served.origin}/${hash}`);
  await page.getByRole('heading', { level: 1, name: 'Week 2 lectures' }).waitFor();
  await segment('Michaelis and Menten.').waitFor();
}

describe('an item holding two recordings', () => {
  it('heads the transcript by recording, and a time clicked shows that recording’s segment', async () => {
    await openItem();
    expect(await page.locator('.panel.transcript h3').allInnerTexts()).toEqual(['Enzymes', 'Kinetics']);
    // 00:00:04 of the first recording: the second recording has a 00:00:04 too, later in the list.
    await segment('They are not used up.').getByRole('button', { name: 'Go to 00:00:04' }).click();
    await waitFor(async () => (await current().count()) === 1, { what: 'a segment to be highlighted' });
    expect(await current().innerText()).toContain('They are not used up.');
    expect(await current().getAttribute('data-source')).toBe('0');

    await segment('Kinetics come next.').getByRole('button', { name: 'Go to 00:00:00' }).click();
    await waitFor(async () => (await current().innerText()).includes('Kinetics come next.'), {
      what: 'the second recording’s segment',
    });
    expect(await current().count()).toBe(1);
    expect(await current().getAttribute('data-source')).toBe('1');
    await screenshot(page, 'two-recordings');
  });

  it('leaves the notes’ times as text, since either recording could be meant', async () => {
    await openItem();
    const notes = page.locator('.notes');
    await notes.getByText('Enzymes are not used up.').waitFor();
    expect(await notes.innerText()).toContain('[00:00:04] Enzymes are not used up.');
    expect(await notes.locator('a').count()).toBe(0);
  });

  it('opens the item from a search hit without moving to a moment', async () => {
    await page.getByRole('searchbox').fill('Michaelis');
    await page.getByRole('searchbox').press('Enter');
    const hit = page.locator(`.result[data-item-id="${ITEM_ID}"] .result-title`);
    await hit.waitFor();
    // The hit still says when it was said; the address carries it.
    expect(await hit.getAttribute('href')).toBe(`#/items/${ITEM_ID}?t=4000`);
    await hit.click();
    await segment('Michaelis and Menten.').waitFor();
    expect(await current().count()).toBe(0);

    await openItem(`#/items/${ITEM_ID}?t=0`);
    expect(await current().count()).toBe(0);
  });

  it('raised no script error and got no broken answer on the way', () => {
    expect(tab.errors).toEqual([]);
    expectNoBrokenResponses(tab);
  });
});
