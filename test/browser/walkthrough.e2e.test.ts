import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createOfflineSummarizer } from '../../src/summarize/offline.summarizer.ts';
import {
  expectNoBrokenResponses,
  launchBrowser,
  openPage,
  type PageWatch,
  type ServedApp,
  screenshot,
  serveApp,
} from '../helpers/browser.ts';
import { type GatedSummarizer, gateSummarizer } from '../helpers/gated-summarizer.ts';

/**
 * The page on the demo account, in a real Chromium, one step after another as a student would:
 * sync, open a course, summarize a lecture and watch it happen, read the notes, follow a time,
 * search, upload a transcript; then the same by keyboard alone, and on a phone in dark mode.
 */

const COURSE = 'BIO 101: Introduction to Cell Biology';
const LECTURE = 10001;
const LECTURE_TITLE = 'Lecture 1 – The cell membrane (recording)';
const VIEWER =
  'https://demo.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=6b1f3c2e-8d4a-4e7b-9c15-2a7d0e4f1b01';
/** The demo's Zoom share link: not fetchable without Zoom access, so its transcript is uploaded. */
const ZOOM_ITEM = 20002;
const REVIEW_VTT = [
  'WEBVTT',
  '',
  '00:00:01.000 --> 00:00:04.000',
  'Welcome to the review of elasticity.',
  '',
  '00:00:30.000 --> 00:00:36.000',
  'Price elasticity of demand measures how much the quantity demanded responds to a change in price.',
  '',
  '00:01:05.000 --> 00:01:12.000',
  'When demand is elastic, a price rise lowers total revenue, because buyers turn to substitutes.',
  '',
  '00:01:40.000 --> 00:01:48.000',
  'Necessities such as insulin have inelastic demand, so their sellers can raise prices without losing many buyers.',
  '',
].join('\n');

let served: ServedApp;
let browser: Browser;
let summarizer: GatedSummarizer;
let tab: PageWatch;
let page: Page;

beforeAll(async () => {
  summarizer = gateSummarizer(createOfflineSummarizer());
  [served, browser] = await Promise.all([serveApp({ overrides: { summarizer } }), launchBrowser()]);
  tab = await openPage(browser, served.origin);
  page = tab.page;
}, 30_000);

afterAll(async () => {
  summarizer?.release();
  await browser?.close();
  await served?.close();
});

afterEach(() => expectNoBrokenResponses(tab));

const row = (id: number): Locator => page.locator(`[data-item-id="${id}"]`);

/** The text of `locator`, once it has some, with runs of white space as one space. */
const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

describe('the page on the demo account', () => {
  it('says it shows the demo account, and syncs the courses with their counts', async () => {
    const response = await page.goto(`${served.origin}/`);
    expect(response?.status()).toBe(200);
    expect(await text(page.getByRole('note'))).toContain('Demo account.');
    // Changes arrive over the event stream.
    await page.locator('[data-live="live"]').waitFor();
    await page.getByText('No courses yet').waitFor();

    await page.getByRole('button', { name: 'Sync courses from Canvas' }).click();
    await page.getByText('Courses synced: 5 added, 0 updated, 0 removed.').waitFor();
    expect(await page.locator('.card').count()).toBe(5);
    await screenshot(page, 'courses');
  });

  it('opens a course and syncs its modules and items, each with its type, provider and status', async () => {
    await page.getByRole('link', { name: COURSE }).click();
    await page.getByRole('heading', { level: 1, name: COURSE }).waitFor();
    expect(page.url()).toBe(`${served.origin}/#/courses/101`);
    await page.getByText('No modules yet').waitFor();

    await page.getByRole('button', { name: 'Sync course from Canvas' }).click();
    await page
      .getByText('Modules: 1 added, 0 updated, 0 removed. Items: 6 added, 0 updated, 0 removed.')
      .waitFor();
    await page.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' }).waitFor();
    expect(await text(row(LECTURE).locator('.item-meta'))).toBe('Link Panopto Not fetched yet');
    expect(await text(row(10002).locator('.item-meta'))).toBe('Page Reading Not fetched yet');
    expect(await text(row(10004).locator('.item-meta'))).toBe('Assignment No recording');
    expect(await row(10004).getByRole('button').count()).toBe(0);
    expect(await text(row(10000))).toBe('Lecture recordings');
    // The exports are offered as downloads.
    expect(await page.getByRole('link', { name: 'All notes (.md)' }).getAttribute('href')).toBe(
      '/courses/101/notes.md',
    );
    await screenshot(page, 'course');
  });

  it('summarizes a lecture, showing its progress and status as they change', async () => {
    const summarize = row(LECTURE).getByRole('button', { name: `Summarize ${LECTURE_TITLE}` });
    await summarize.click();
    await row(LECTURE).getByText('Summarizing: Summarized part 1 of 2').waitFor();
    // The job is running: asking again would only duplicate it.
    expect(await summarize.isDisabled()).toBe(true);
    expect(
      await row(LECTURE)
        .getByRole('button', { name: /^Fetch transcript/ })
        .isDisabled(),
    ).toBe(true);
    await screenshot(page, 'course-job-running');

    summarizer.release();
    await row(LECTURE).locator('[data-status="SUMMARY_READY"]').waitFor({ timeout: 15_000 });
    expect(await text(row(LECTURE).locator('.badge'))).toBe('Notes ready');
    await row(LECTURE).locator('.job-line').waitFor({ state: 'detached' });
    expect(await summarize.isDisabled()).toBe(false);
  });

  it('shows the notes rendered beside the transcript, and a time in them opens the recording there', async () => {
    await row(LECTURE).getByRole('link', { name: LECTURE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: LECTURE_TITLE }).waitFor();
    await page.locator('.notes h4', { hasText: 'Overview' }).waitFor();
    // The notes' own headings nest under the panel's: `# Title` is an h3, `## Overview` an h4.
    expect(await page.locator('.notes h3').innerText()).toBe(LECTURE_TITLE);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await page.locator('.notes li').count()).toBeGreaterThan(0);
    await page.locator('.segment').first().waitFor();

    const times = page.locator('.notes a[data-time-ms]');
    expect(await times.count()).toBeGreaterThan(2);
    const time = times.last();
    const ms = Number(await time.getAttribute('data-time-ms'));
    expect(ms).toBeGreaterThan(0);
    expect(await time.getAttribute('target')).toBe('_blank');
    expect(await time.getAttribute('rel')).toBe('noopener noreferrer');

    const [recording] = await Promise.all([page.context().waitForEvent('page'), time.click()]);
    expect(recording.url()).toBe(`${VIEWER}&start=${ms / 1000}`);
    await recording.close();
    // Each bullet carries the time its paragraph starts at: that paragraph is the one shown.
    const current = await expectMomentShown(ms);
    expect(second(Number(await current.getAttribute('data-start-ms')))).toBe(ms);
    expect(page.url()).toBe(`${served.origin}/#/items/${LECTURE}?t=${ms}`);
    await screenshot(page, 'item');
  });

  it('opens the recording at a time of the transcript, and highlights that passage', async () => {
    const segment = page.locator('.segment').nth(2);
    const start = Number(await segment.getAttribute('data-start-ms'));
    const [recording] = await Promise.all([
      page.context().waitForEvent('page'),
      segment.getByRole('link', { name: /^Open the recording at/ }).click(),
    ]);
    expect(recording.url()).toBe(`${VIEWER}&start=${Math.floor(start / 1000)}`);
    await recording.close();
    await expectMomentShown(start);
    expect(await segment.getAttribute('aria-current')).toBe('true');
  });

  it('finds a word of a transcript and lands on the item at the moment it was said', async () => {
    await page.getByRole('searchbox').fill('cholesterol');
    await page.getByRole('searchbox').press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Search: “cholesterol”' }).waitFor();
    const result = page.locator(`.result[data-item-id="${LECTURE}"]`);
    await result.waitFor();
    expect(await result.locator('.snippet mark').first().innerText()).toMatch(/^cholesterol$/i);
    expect(await text(result.locator('.item-meta'))).toMatch(
      /^BIO 101: .* Said in the recording at \d\d:\d\d:\d\d/,
    );
    await screenshot(page, 'search');

    await result.getByRole('link', { name: LECTURE_TITLE }).click();
    await page.getByRole('heading', { level: 1, name: LECTURE_TITLE }).waitFor();
    const moment = Number(new URL(page.url().replace('#', '')).searchParams.get('t'));
    const current = await expectMomentShown(moment);
    expect((await current.innerText()).toLowerCase()).toContain('cholesterol');
  });

  it('uploads a transcript for an item that has none, in a dialog that Escape closes', async () => {
    const synced = await served.t.app.inject({ method: 'POST', url: '/courses/102/modules/refresh' });
    expect(synced.statusCode).toBe(200);
    await page.goto(`${served.origin}/#/items/${ZOOM_ITEM}`);
    await page.getByText('No transcript yet').waitFor();
    const open = page.getByRole('button', { name: 'Upload a transcript…' });

    await open.click();
    const dialog = page.getByRole('dialog', { name: 'Upload a transcript' });
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await open.evaluate((button) => button === button.ownerDocument.activeElement)).toBe(true);

    await open.click();
    await dialog.getByLabel('Transcript file').setInputFiles({
      name: 'review.vtt',
      mimeType: 'text/vtt',
      buffer: Buffer.from(REVIEW_VTT),
    });
    await screenshot(page, 'upload-dialog');
    await dialog.getByRole('button', { name: 'Upload' }).click();
    await page.getByText(/^Transcript uploaded/).waitFor();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('.segment', { hasText: 'Welcome to the review of elasticity.' }).first().waitFor();
    await page.locator('[data-status="TRANSCRIPT_READY"]').waitFor();
    expect(await text(page.locator('main .item-meta'))).toBe('Link Uploaded transcript Transcript ready');
    expect(await open.count()).toBe(0);
    // Its button went with the new transcript: focus is on the result, not back at the page's start.
    const focused = await page
      .locator('html')
      .evaluate((root) => root.ownerDocument.activeElement?.textContent);
    expect(focused).toMatch(/^Transcript uploaded \(\d+ kB\)\.$/);

    // A sync from the item's page keeps what was uploaded.
    await page.getByRole('button', { name: 'Sync from Canvas' }).click();
    await page.getByText('Items of the module synced: 0 added, 0 updated, 0 removed.').waitFor();
    expect(await page.locator('[data-status="TRANSCRIPT_READY"]').count()).toBe(1);
  });

  it('moves the transcript to a time of notes whose recording has no time links, without leaving the page', async () => {
    // An uploaded transcript names no host to link to: the notes' times stay plain `[00:01:05]`.
    await page.getByRole('button', { name: /^Summarize/ }).click();
    await page.locator('[data-status="SUMMARY_READY"]').waitFor({ timeout: 15_000 });
    const time = page.locator('.notes a[data-time-ms]').last();
    await time.waitFor();
    const ms = Number(await time.getAttribute('data-time-ms'));
    expect(await time.getAttribute('href')).toBe(`#/items/${ZOOM_ITEM}?t=${ms}`);
    expect(await time.getAttribute('target')).toBeNull();
    const pages = page.context().pages().length;
    await time.click();
    const current = await expectMomentShown(ms);
    expect(second(Number(await current.getAttribute('data-start-ms')))).toBe(ms);
    expect(page.context().pages()).toHaveLength(pages);
    expect(page.url()).toBe(`${served.origin}/#/items/${ZOOM_ITEM}?t=${ms}`);
    // The transcript's own times have no recording to open either: they are buttons.
    expect(await current.getByRole('button', { name: /^Go to \d\d:\d\d:\d\d$/ }).count()).toBe(1);
  });

  it('raised no script error on the way', () => {
    expect(tab.errors).toEqual([]);
    expect(tab.dialogs).toEqual([]);
  });
});

describe('the page by keyboard alone', () => {
  it('skips to the content, opens a course and an item, and follows a time with Enter', async () => {
    const keys = await openPage(browser, served.origin);
    const kb = keys.page;
    try {
      await kb.goto(`${served.origin}/`);
      await kb.locator('.card').first().waitFor();
      await kb.keyboard.press('Tab');
      expect(await focusedText(kb)).toBe('Skip to content');
      expect(await focusOutline(kb)).not.toBe('none');
      await kb.keyboard.press('Enter');
      expect(await kb.locator(':focus').getAttribute('id')).toBe('main');

      await tabTo(kb, COURSE);
      await kb.keyboard.press('Enter');
      await kb.getByRole('heading', { level: 1, name: COURSE }).waitFor();
      await tabTo(kb, LECTURE_TITLE);
      await kb.keyboard.press('Enter');
      await kb.getByRole('heading', { level: 1, name: LECTURE_TITLE }).waitFor();
      await kb.locator('.notes a[data-time-ms]').first().waitFor();

      const time = await tabTo(kb, /^\d\d:\d\d:\d\d$/);
      const [recording] = await Promise.all([kb.context().waitForEvent('page'), kb.keyboard.press('Enter')]);
      expect(recording.url()).toMatch(new RegExp(`^${escapeRegExp(VIEWER)}&start=\\d+$`));
      await recording.close();
      await kb.locator('.segment.current').waitFor();
      expect(kb.url()).toContain(`?t=${time.timeMs}`);
      expect(keys.errors).toEqual([]);
      expectNoBrokenResponses(keys);
    } finally {
      await keys.context.close();
    }
  });
});

describe('the page on a phone in dark mode', () => {
  it('stacks the notes over the transcript, fits the screen and uses dark colours', async () => {
    const phone = await openPage(browser, served.origin, {
      viewport: { width: 390, height: 844 },
      colorScheme: 'dark',
      isMobile: true,
      hasTouch: true,
    });
    try {
      const small = phone.page;
      await small.goto(`${served.origin}/#/courses/101`);
      await small.getByRole('heading', { level: 2, name: 'Week 1 – Membranes' }).waitFor();
      expect(await fitsWidth(small)).toBe(true);
      await screenshot(small, 'phone-dark-course');

      await small.goto(`${served.origin}/#/items/${LECTURE}`);
      await small.locator('.notes h4').first().waitFor();
      await small.locator('.segment').first().waitFor();
      const notes = await small.locator('.panel').first().boundingBox();
      const transcript = await small.locator('.panel.transcript').boundingBox();
      expect(transcript && notes && transcript.y >= notes.y + notes.height).toBe(true);
      expect(await fitsWidth(small)).toBe(true);
      const background = await small
        .locator('body')
        .evaluate((body) => body.ownerDocument.defaultView.getComputedStyle(body).backgroundColor);
      expect(luminance(background)).toBeLessThan(0.1);
      await screenshot(small, 'phone-dark-item');
      expect(phone.errors).toEqual([]);
      expectNoBrokenResponses(phone);
    } finally {
      await phone.context.close();
    }
  });
});

describe('the page without its event stream', () => {
  it('says it is polling, and still shows work requested elsewhere as it finishes', async () => {
    const cut = await openPage(browser, served.origin);
    try {
      // A proxy that drops the stream, say.
      await cut.context.route(
        (url) => url.pathname === '/events',
        (route) => route.abort(),
      );
      await cut.page.goto(`${served.origin}/#/courses/101`);
      await cut.page.locator('[data-live="polling"]').waitFor();
      expect(await cut.page.locator('.live-state').innerText()).toBe('Polling');
      await cut.page.locator('[data-item-id="10002"] [data-status="DISCOVERED"]').waitFor();
      // Queued from outside the page (curl, another tab): only a poll can tell this page.
      const queued = await served.t.app.inject({ method: 'POST', url: '/items/10002/fetch-transcript' });
      expect(queued.statusCode).toBe(202);
      await cut.page
        .locator('[data-item-id="10002"] [data-status="TRANSCRIPT_READY"]')
        .waitFor({ timeout: 10_000 });
      expect(cut.errors).toEqual([]);
      expectNoBrokenResponses(cut);
    } finally {
      await cut.context.close();
    }
  });
});

/** `ms` floored to the whole second, as times are written. */
const second = (ms: number) => Math.floor(ms / 1000) * 1000;

/** The transcript highlights the passage said at `ms` and has scrolled it into view. */
async function expectMomentShown(ms: number): Promise<Locator> {
  const current = page.locator('.segment.current');
  await current.waitFor();
  expect(await page.locator('.segment.current').count()).toBe(1);
  const starts = (
    await page
      .locator('.segment')
      .evaluateAll((segments) => segments.map((segment) => Number(segment.getAttribute('data-start-ms'))))
  ).map(second);
  const index = await current.evaluate((segment) =>
    [...(segment.parentElement?.children ?? [])].indexOf(segment),
  );
  expect(starts[index]).toBeLessThanOrEqual(Math.max(ms, starts[0] ?? 0));
  if (index + 1 < starts.length) expect(starts[index + 1]).toBeGreaterThan(ms);
  expect(await current.getAttribute('aria-current')).toBe('true');
  const visible = await current.evaluate((segment) => {
    const box = segment.getBoundingClientRect();
    const panel = segment.closest('.panel')?.getBoundingClientRect();
    const height = segment.ownerDocument.defaultView.innerHeight;
    return !!panel && box.top >= Math.max(panel.top, 0) && box.bottom <= Math.min(panel.bottom, height);
  });
  expect(visible).toBe(true);
  return current;
}

async function focusedText(target: Page): Promise<string> {
  return (await target.locator(':focus').innerText()).trim();
}

/** The outline style of the focused element: the focus ring a keyboard user sees. */
async function focusOutline(target: Page): Promise<string> {
  return target
    .locator(':focus')
    .evaluate((focused) => focused.ownerDocument.defaultView.getComputedStyle(focused).outlineStyle);
}

/** Presses Tab until the focused element's text is `name` (or matches it); fails after 60 presses. */
async function tabTo(target: Page, name: string | RegExp): Promise<{ timeMs: string | null }> {
  for (let presses = 0; presses < 60; presses++) {
    await target.keyboard.press('Tab');
    const focused = await focusedText(target);
    if (typeof name === 'string' ? focused === name : name.test(focused)) {
      expect(await focusOutline(target)).not.toBe('none');
      return {
        timeMs: await target.locator(':focus').getAttribute('data-time-ms'),
      };
    }
  }
  throw new Error(`Tab never reached ${String(name)}`);
}

const fitsWidth = (target: Page) =>
  target.locator('html').evaluate((root) => root.scrollWidth <= root.clientWidth);

/** Relative luminance (0 black – 1 white) of an `rgb(r, g, b)` colour. */
function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

const escapeRegExp = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
