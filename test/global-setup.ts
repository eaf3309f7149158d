import { buildWeb } from '../src/web/build.ts';

/** Builds the page once before any test, so `GET /` and the browser tests work from a clean clone. */
export default async function setup(): Promise<void> {
  await buildWeb();
}
