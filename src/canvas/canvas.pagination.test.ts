import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { followNextLinks, type LinkedPage, parseNextLink } from './canvas.pagination.ts';

const BASE = 'https://canvas.example.edu/api/v1';

describe('parseNextLink', () => {
  it('returns the next URL from a Canvas header listing current, next, first and last', () => {
    const header = [
      `<${BASE}/courses?include%5B%5D=term&page=1&per_page=100>; rel="current"`,
      `<${BASE}/courses?include%5B%5D=term&page=2&per_page=100>; rel="next"`,
      `<${BASE}/courses?include%5B%5D=term&page=1&per_page=100>; rel="first"`,
      `<${BASE}/courses?include%5B%5D=term&page=5&per_page=100>; rel="last"`,
    ].join(',');
    expect(parseNextLink(header)).toBe(`${BASE}/courses?include%5B%5D=term&page=2&per_page=100`);
  });

  it('accepts an unquoted rel and any letter case', () => {
    expect(parseNextLink(`<${BASE}/a?page=2>; rel=next`)).toBe(`${BASE}/a?page=2`);
    expect(parseNextLink(`<${BASE}/a?page=3>; REL="Next"`)).toBe(`${BASE}/a?page=3`);
  });

  it('finds next among several space-separated rels and extra parameters', () => {
    expect(parseNextLink(`<${BASE}/a?page=2>; title="x"; rel="last next"`)).toBe(`${BASE}/a?page=2`);
  });

  it('returns bookmark URLs verbatim', () => {
    const next = `${BASE}/courses/1/modules/2/items?include%5B%5D=content_details&page=bookmark:WzEwMCwicG9zaXRpb24iXQ&per_page=100`;
    expect(parseNextLink(`<${BASE}/x?page=first>; rel="current",<${next}>; rel="next"`)).toBe(next);
  });

  it('returns null without a next link, for an empty header and for null', () => {
    expect(parseNextLink(`<${BASE}/a?page=1>; rel="current",<${BASE}/a?page=1>; rel="first"`)).toBeNull();
    expect(parseNextLink('')).toBeNull();
    expect(parseNextLink(null)).toBeNull();
  });

  it('does not mistake rel="prev" or rel="nextish" for next', () => {
    expect(parseNextLink(`<${BASE}/a?page=1>; rel="prev",<${BASE}/a?page=9>; rel="nextish"`)).toBeNull();
  });
});

/** A scripted paginated source: URL → page, recording the URLs asked for. */
function scriptedPages(pages: Record<string, LinkedPage<number[]>>) {
  const fetched: string[] = [];
  const fetchPage = async (url: string) => {
    fetched.push(url);
    const page = pages[url];
    if (!page) throw new Error(`unexpected URL ${url}`);
    return page;
  };
  return { fetched, fetchPage };
}

async function collect<T>(iterator: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterator) out.push(value);
  return out;
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('followNextLinks', () => {
  it('follows next links exactly as given until a page has none', async () => {
    const second = `${BASE}/items?page=bookmark:abc_-123&per_page=100`;
    const third = `${BASE}/items?page=bookmark:zzz&per_page=100&extra=%5B1%5D`;
    const { fetched, fetchPage } = scriptedPages({
      [`${BASE}/items?per_page=100`]: { data: [1, 2], nextUrl: second },
      [second]: { data: [3], nextUrl: third },
      [third]: { data: [4], nextUrl: null },
    });
    const pages = await collect(followNextLinks(`${BASE}/items?per_page=100`, fetchPage));
    expect(pages).toEqual([[1, 2], [3], [4]]);
    expect(fetched).toEqual([`${BASE}/items?per_page=100`, second, third]);
  });

  it('stops with canvas.bad_response when the chain loops back to a page', async () => {
    const { fetched, fetchPage } = scriptedPages({
      [`${BASE}/a?page=1`]: { data: [1], nextUrl: `${BASE}/a?page=2` },
      [`${BASE}/a?page=2`]: { data: [2], nextUrl: `${BASE}/a?page=1` },
    });
    const error = await errorOf(collect(followNextLinks(`${BASE}/a?page=1`, fetchPage)));
    expect(isAppError(error) && error.code).toBe('canvas.bad_response');
    expect(fetched).toHaveLength(2);
  });

  it('refuses to go past maxPages', async () => {
    let n = 0;
    const fetchPage = async () => {
      n += 1;
      return { data: [n], nextUrl: `${BASE}/a?page=${n + 1}` };
    };
    const error = await errorOf(collect(followNextLinks(`${BASE}/a?page=1`, fetchPage, { maxPages: 3 })));
    expect(isAppError(error) && error.code).toBe('canvas.bad_response');
    expect(n).toBe(3);
  });

  it('refuses a next link on another origin before fetching it', async () => {
    const { fetched, fetchPage } = scriptedPages({
      [`${BASE}/a`]: { data: [1], nextUrl: 'https://evil.example/api/v1/a?page=2' },
    });
    const error = await errorOf(
      collect(followNextLinks(`${BASE}/a`, fetchPage, { allowedOrigin: 'https://canvas.example.edu' })),
    );
    expect(isAppError(error) && error.code).toBe('canvas.bad_response');
    expect(fetched).toEqual([`${BASE}/a`]);
  });

  it('resolves a relative next link against the current page', async () => {
    const { fetched, fetchPage } = scriptedPages({
      [`${BASE}/a?page=1`]: { data: [1], nextUrl: '/api/v1/a?page=2' },
      [`${BASE}/a?page=2`]: { data: [2], nextUrl: null },
    });
    await collect(
      followNextLinks(`${BASE}/a?page=1`, fetchPage, { allowedOrigin: 'https://canvas.example.edu' }),
    );
    expect(fetched).toEqual([`${BASE}/a?page=1`, `${BASE}/a?page=2`]);
  });
});
