import { accessSync, constants, mkdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createTestApp, type TestApp } from './test-app.ts';

/**
 * The browser tests drive the system's Chromium (Debian's `chromium` package, which `.ci/run`
 * installs) through playwright-core, which downloads no browser of its own.
 */

const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));

// Headless, and nothing that reaches the network on its own (updates, sync, field trials).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `CHROMIUM_PATH`, else the first `chromium` or `chromium-browser` on PATH. */
function chromiumPath(): string {
  const named = process.env.CHROMIUM_PATH;
  if (named) return named;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here.
      }
    }
  }
  throw new Error(
    'The browser tests need Chromium: `apt-get install -y chromium` (as .ci/run does), or set CHROMIUM_PATH.',
  );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

export interface ServedApp {
  t: TestApp;
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

/** The real app listening on 127.0.0.1 (port 0), its job runner started. */
export async function serveApp(options: Parameters<typeof createTestApp>[0] = {}): Promise<ServedApp> {
  const t = await createTestApp(options);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on TCP');
  t.deps.runner.start();
  return { t, origin: `http://127.0.0.1:${address.port}`, close: () => t.close() };
}

export interface PageWatch {
  context: BrowserContext;
  page: Page;
  /** Every request the pages made to another origin (fulfilled with a stub, never sent). */
  external: string[];
  /** Uncaught exceptions and console errors (CSP violations among them) in the pages. */
  errors: string[];
  /**
   * Answers of 500 and above from this origin (`GET /items/1 → 500`). The console's "Failed to
   * load resource" lines are left out of `errors`, since the page handles the 404 of notes not
   * written yet; these are what must never be among them.
   */
  serverErrors: string[];
  /** Requests for the page's own `/assets/` that failed or were not answered with a 2xx/304. */
  assetFailures: string[];
  /** Messages of alert/confirm/prompt dialogs (dismissed). */
  dialogs: string[];
}

/**
 * A fresh context on `origin`. Requests anywhere else (a recording opened in a new tab) are
 * answered here with a stub page, so nothing leaves the machine and tests can see where links
 * pointed.
 */
export async function openPage(
  browser: Browser,
  origin: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<PageWatch> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const external: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];
  const serverErrors: string[] = [];
  const assetFailures: string[] = [];
  const isAsset = (url: string) => {
    const parsed = new URL(url);
    return parsed.origin === origin && parsed.pathname.startsWith('/assets/');
  };
  await context.route(
    (url) => url.origin !== origin,
    (route) => {
      external.push(route.request().url());
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<title>elsewhere</title>' });
    },
  );
  const watch = (page: Page) => {
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // The page asks for notes and transcripts that may not exist yet: a 404 it handles.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text());
      }
    });
    page.on('response', (response) => {
      const where = `${response.request().method()} ${new URL(response.url()).pathname} → ${response.status()}`;
      if (new URL(response.url()).origin !== origin) return;
      if (response.status() >= 500) serverErrors.push(where);
      else if (isAsset(response.url()) && !response.ok() && response.status() !== 304)
        assetFailures.push(where);
    });
    page.on('requestfailed', (request) => {
      if (isAsset(request.url())) assetFailures.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  };
  context.on('page', watch);
  const page = await context.newPage();
  return { context, page, external, errors, dialogs, serverErrors, assetFailures };
}

/** Fails when a page of one of `watches` got a 5xx answer or could not load one of its assets. */
export function expectNoBrokenResponses(...watches: PageWatch[]): void {
  for (const watch of watches) {
    expect(watch.serverErrors, 'answers of 500 and above').toEqual([]);
    expect(watch.assetFailures, 'assets that did not load').toEqual([]);
  }
}

/** Saves a screenshot of the whole page under test-output/screenshots/ (not committed). */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
