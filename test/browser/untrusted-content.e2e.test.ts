import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeCanvas, panoptoGuid, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
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
import { srt } from '../helpers/srt.ts';

/**
 * Everything the page shows comes from Canvas or a model. Here both are hostile: titles, a page
 * body and the model's notes carry a script tag, an `onerror` handler and `javascript:` links.
 * Titles and transcripts must show them as text, notes must lose the markup, and nothing runs.
 */

const SCRIPT = '<script>window.__pwned=1</script>';
const IMG = '<img src=x onerror="window.__pwned=1">';
const JS_LINK = '<a href="javascript:window.__pwned=1">a javascript link</a>';
const TOKEN = 'untrusted-content-token';
const COURSE_NAME = `${SCRIPT}Hostile course`;
const MODULE_NAME = `${IMG}Week 1`;
const LECTURE = 9001;
const LECTURE_TITLE = `${SCRIPT}Lecture ${IMG}`;
const READING = 9002;
const READING_TITLE = `${JS_LINK} reading`;
/** A link whose `external_url` and `html_url` are both scripts. */
const SCRIPT_LINK = 9003;
const JS_URL = 'javascript:window.__pwned=1';
/** Looks like a Panopto viewer to a check of the host and path alone. */
const JS_PANOPTO = `javascript://demo.hosted.panopto.com/%0Awindow.__pwned=1//Panopto/Pages/Viewer.aspx?id=${panoptoGuid(2)}`;

const NOTES = [
  '# Lecture',
  '',
  '## Overview',
  `Watch out. ${IMG} ${SCRIPT}`,
  '',
  '## [00:00:03] Channels',
  '- [click](javascript:window.__pwned=1)',
  `- ${JS_LINK}`,
  '- [data](data:text/html,<script>window.__pwned=1</script>)',
  '- <iframe src="javascript:window.__pwned=1"></iframe><svg onload="window.__pwned=1"></svg>',
  '- <form action="javascript:window.__pwned=1"><button>Send</button></form>',
  '- [a fine link](https://example.org/reading)',
  // Markup a deny-list lets through: focus order, hidden text, the page's own controls, clobbering.
  '- <a tabindex="1" href="https://example.org/tab">tabbed link</a> <a aria-hidden="true" href="https://example.org/aria">aria link</a>',
  '- <label for="search-q">label text</label> <button popovertarget="pop">open</button>',
  '',
  '<div popover id="pop">popover text</div>',
  '',
  '<form><input autofocus onfocus="window.__pwned=1" name="q"></form>',
  '',
  `<svg><a xlink:href="${JS_URL}"><text>svg link</text></a></svg>`,
  '',
  '<p hidden>hidden text</p><div inert class="banner" style="color:red" id="clobber" name="clobber">inert text</div>',
  '',
  '<p><a href="https://example.org/file" download>download link</a></p>',
  '',
  '<table background="https://example.org/bg.png"><tr><td>cell text</td></tr></table>',
].join('\n');

/** What the notes may carry: marked's tags, and the attributes they keep or the page adds. */
const NOTES_TAGS = new Set(
  'p h1 h2 h3 h4 h5 h6 ul ol li a strong em del code pre blockquote hr br table thead tbody tr th td'.split(
    ' ',
  ),
);
const NOTES_ATTRIBUTES = new Set(
  'href title align start colspan rowspan scope target rel data-time-ms'.split(' '),
);

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
  panopto.sessions.set(panoptoGuid(1), {
    kind: 'srt',
    body: srt(['Good morning.', 'Ion channels let ions cross the membrane.', 'That is all for today.']),
  });
  canvas = await startFakeCanvas({
    token: TOKEN,
    state: {
      courses: [
        {
          id: 7001,
          name: COURSE_NAME,
          course_code: IMG,
          workflow_state: 'available',
          term: { id: 1, name: SCRIPT },
          modules: [
            {
              id: 8001,
              name: MODULE_NAME,
              items: [
                {
                  id: LECTURE,
                  title: LECTURE_TITLE,
                  type: 'ExternalUrl',
                  external_url: `${panopto.origin}/Panopto/Pages/Viewer.aspx?id=${panoptoGuid(1)}`,
                },
                {
                  id: READING,
                  title: READING_TITLE,
                  type: 'Page',
                  page_url: 'hostile-page',
                  html_url: JS_URL,
                },
                {
                  id: SCRIPT_LINK,
                  title: 'Script link',
                  type: 'ExternalUrl',
                  external_url: JS_PANOPTO,
                  html_url: JS_URL,
                },
              ],
            },
          ],
          pages: [
            {
              url: 'hostile-page',
              title: 'Hostile page',
              body: `<p>Read this &lt;script&gt;window.__pwned=1&lt;/script&gt; closely.</p>${SCRIPT}${IMG}<p>${JS_LINK}</p><p><a href="${JS_PANOPTO}">The lecture recording</a></p>`,
            },
          ],
        },
      ],
    },
  });
  served = await serveApp({
    config: {
      demo: false,
      canvas: { baseUrl: canvas.baseUrl, token: TOKEN, timeoutMs: 2_000 },
      llm: { apiKey: 'sk-untrusted-test', baseUrl: llm.baseUrl },
    },
  });
  tab = await openPage(browser, served.origin);
  page = tab.page;
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await Promise.all([canvas?.close(), panopto?.close(), llm?.close()]);
});

afterEach(() => expectNoBrokenResponses(tab));

const row = (id: number): Locator => page.locator(`[data-item-id="${id}"]`);
const pwned = () => page.evaluate('window.__pwned');

/**
 * DOMPurify parses the notes in a DOMParser document, which shares the page's policy, and
 * Chromium reports a CSP violation there for each `style="…"` and (since Chromium 156.0.8078.114)
 * each inline event handler it parses, whether or not the handler could ever fire. The sanitizer
 * then drops the attribute. Those reports are expected where the notes are shown, so long as no
 * element of the page itself carries a handler; any other error is not.
 */
const SANITIZER_PARSE_REPORTS = ['Applying inline style violates', 'Executing inline event handler violates'];

async function expectOnlySanitizerParseReports(): Promise<void> {
  expect(await inlineHandlers()).toEqual([]);
  const others = tab.errors.filter(
    (error) => !SANITIZER_PARSE_REPORTS.some((report) => error.startsWith(report)),
  );
  expect(others).toEqual([]);
  tab.errors.length = 0;
}

/** Every inline event handler on an element of the page, as `tag attr`. */
const inlineHandlers = () =>
  page
    .locator('*')
    .evaluateAll((elements) =>
      elements.flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => /^on/i.test(attribute.name))
          .map((attribute) => `${element.tagName} ${attribute.name}`),
      ),
    );

/** Every attribute in the document whose value is a `javascript:` URL, as `tag attr=value`. */
const scriptUrls = () =>
  page
    .locator('*')
    .evaluateAll((elements) =>
      elements.flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => /^\s*javascript:/i.test(attribute.value))
          .map((attribute) => `${element.tagName} ${attribute.name}=${attribute.value}`),
      ),
    );

describe('untrusted text from Canvas and from the model', () => {
  it('is served under a policy that forbids inline scripts, and the browser enforces it', async () => {
    const response = await page.goto(`${served.origin}/`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    await page.getByRole('button', { name: 'Sync courses from Canvas' }).waitFor();
    // A script injected the way markup would inject one does not run.
    const ran = await page.evaluate(
      "(() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.append(s); return window.__inline; })()",
    );
    expect(ran).toBeUndefined();
    expect(tab.errors.some((error) => /Content Security Policy/.test(error))).toBe(true);
    tab.errors.length = 0;
  });

  it('shows course, module and item titles as the literal text Canvas sent', async () => {
    await page.getByRole('button', { name: 'Sync courses from Canvas' }).click();
    await page.getByRole('link', { name: COURSE_NAME }).click();
    await page.getByRole('heading', { level: 1, name: COURSE_NAME }).waitFor();
    await page.getByRole('button', { name: 'Sync course from Canvas' }).click();
    await page.getByRole('heading', { level: 2, name: MODULE_NAME }).waitFor();
    expect(await row(LECTURE).getByRole('link').first().innerText()).toBe(LECTURE_TITLE);
    expect(await row(READING).getByRole('link').first().innerText()).toBe(READING_TITLE);
    expect(await page.locator('main').innerText()).toContain(IMG);
    expect(await page.locator('main img, main script:not([src]), main a[href^="javascript"]').count()).toBe(
      0,
    );
    expect(await row(SCRIPT_LINK).getByRole('link').first().innerText()).toBe('Script link');
    expect(await scriptUrls()).toEqual([]);
    await screenshot(page, 'untrusted-course');
  });

  it("strips the markup of the model's notes, keeps only http(s) links, and runs nothing when they are clicked", async () => {
    await row(LECTURE)
      .getByRole('button', { name: /^Summarize/ })
      .click();
    await row(LECTURE).locator('[data-status="SUMMARY_READY"]').waitFor({ timeout: 15_000 });
    await row(LECTURE).getByRole('link', { name: LECTURE_TITLE }).click();
    const notes = page.locator('.notes');
    await notes.getByText('Watch out.').waitFor();

    expect(await notes.locator('img, script, iframe, svg, form, button').count()).toBe(0);
    expect(await notes.innerText()).not.toContain('onerror');
    for (const name of ['click', 'a javascript link', 'data']) {
      const link = notes.locator('a', { hasText: new RegExp(`^${name}$`) });
      expect(await link.count(), name).toBe(1);
      expect(await link.getAttribute('href'), name).toBeNull();
      await link.click();
    }
    const fine = notes.getByRole('link', { name: 'a fine link' });
    expect(await fine.getAttribute('href')).toBe('https://example.org/reading');
    expect(await fine.getAttribute('rel')).toBe('noopener noreferrer');
    // The model's time was checked and linked by the server, to the recording's own host.
    const time = notes.locator('a[data-time-ms="3000"]');
    expect(await time.getAttribute('href')).toBe(
      `${panopto.origin}/Panopto/Pages/Viewer.aspx?id=${panoptoGuid(1)}&start=3`,
    );
    // The title in the page's heading stays literal; the notes' copy of it loses its markup.
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(LECTURE_TITLE);

    expect(await pwned()).toBeUndefined();
    expect(tab.dialogs).toEqual([]);
    await expectOnlySanitizerParseReports();
    await screenshot(page, 'untrusted-notes');
  });

  it('keeps only the tags and attributes Markdown makes in the notes: no focus order, hidden text, forms or clobbering', async () => {
    const notes = page.locator('.notes');
    await notes.getByText('cell text').waitFor();
    const found = await notes.evaluate((root) => ({
      tags: [...new Set([...root.querySelectorAll('*')].map((element) => element.localName))],
      attributes: [
        ...new Set([...root.querySelectorAll('*')].flatMap((element) => element.getAttributeNames())),
      ],
    }));
    expect(found.tags.filter((tag) => !NOTES_TAGS.has(tag))).toEqual([]);
    expect(found.attributes.filter((name) => !NOTES_ATTRIBUTES.has(name))).toEqual([]);
    // By name as well, so the rule above cannot pass by matching nothing.
    for (const selector of [
      '[tabindex]',
      '[aria-hidden]',
      'label',
      '[popover]',
      '[popovertarget]',
      '[hidden]',
      '[inert]',
      '[download]',
      '[background]',
      '[id]',
      '[name]',
      '[class]',
      '[style]',
      'form',
      'input',
      'button',
      'svg',
    ]) {
      expect(await notes.locator(selector).count(), selector).toBe(0);
    }
    // The text of what was dropped stays readable; the links keep their href.
    const shown = await notes.innerText();
    for (const words of ['label text', 'popover text', 'hidden text', 'inert text']) {
      expect(shown, words).toContain(words);
    }
    expect(await notes.getByRole('link', { name: 'tabbed link' }).getAttribute('href')).toBe(
      'https://example.org/tab',
    );
    expect(await notes.getByRole('link', { name: 'download link' }).getAttribute('download')).toBeNull();
    // Nothing took focus, clobbered a global or reached the page's own controls.
    const globals = await page.locator('html').evaluate((root) => ({
      focused: root.ownerDocument.activeElement?.localName ?? null,
      clobbered: ['clobber', 'pop'].filter((name) => name in (root.ownerDocument.defaultView ?? {})),
    }));
    expect(globals.focused).not.toBe('input');
    expect(globals.clobbered).toEqual([]);
    expect(await page.locator('#search-q').count()).toBe(1);
    expect(await scriptUrls()).toEqual([]);
    expect(await pwned()).toBeUndefined();
    await expectOnlySanitizerParseReports();
  });

  it('links to Canvas and to recordings only over http(s), whatever Canvas sent', async () => {
    // The hostile values do reach the page's data: only the page keeps them out of links.
    const reading = await served.t.app.inject({ method: 'GET', url: `/items/${READING}` });
    expect(reading.json().canvas_url).toBe(JS_URL);
    const link = await served.t.app.inject({ method: 'GET', url: `/items/${SCRIPT_LINK}` });
    expect(link.json()).toMatchObject({ canvas_url: JS_URL, external_url: JS_PANOPTO });

    for (const id of [READING, SCRIPT_LINK, LECTURE]) {
      await page.goto(`${served.origin}/#/items/${id}`);
      await page.getByRole('button', { name: 'Sync from Canvas' }).waitFor();
      await page.locator('.panel').first().waitFor();
      expect(await scriptUrls(), `item ${id}`).toEqual([]);
    }
    // The lecture's own links are still offered.
    expect(await page.getByRole('link', { name: 'Open in Canvas' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: /^Open the recording \(/ }).count()).toBe(1);
    expect(await pwned()).toBeUndefined();
    // The lecture's notes were shown again.
    await expectOnlySanitizerParseReports();
  });

  it("shows a page's text as text in its transcript, markup included", async () => {
    await page.goto(`${served.origin}/#/items/${READING}`);
    await page.getByRole('button', { name: /^Fetch transcript/ }).click();
    const segments = page.locator('.segment-text');
    await segments.first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.panel.transcript').innerText()).toContain(
      'Read this <script>window.__pwned=1</script> closely.',
    );
    expect(
      await page.locator('.panel.transcript').locator('script, img, a[href^="javascript"]').count(),
    ).toBe(0);
  });

  it('shows search snippets with only their highlights as markup', async () => {
    await page.getByRole('searchbox').fill('pwned');
    await page.getByRole('searchbox').press('Enter');
    await page.locator(`.result[data-item-id="${LECTURE}"]`).waitFor();
    const snippets = page.locator('.result .snippet');
    expect(await snippets.count()).toBeGreaterThanOrEqual(2);
    expect(await snippets.locator('mark').count()).toBeGreaterThanOrEqual(2);
    expect(await snippets.locator('*:not(mark)').count()).toBe(0);
    expect((await snippets.allInnerTexts()).join('\n')).toContain('<script>window.__pwned=1</script>');
    expect(await page.locator('.result-title').allInnerTexts()).toContain(LECTURE_TITLE);
  });

  it('ran nothing anywhere', async () => {
    expect(await pwned()).toBeUndefined();
    expect(tab.dialogs).toEqual([]);
    expect(tab.errors).toEqual([]);
  });
});
