/** Canvas URLs: the root a user configures, and query strings as Rails reads them. */

/**
 * Strips trailing slashes and a trailing `/api/v1` (users often paste the API root), plus any
 * query, hash or credentials. Keeps a path prefix for Canvas served below `/`.
 *
 * @example normaliseCanvasBaseUrl('https://canvas.school.edu/api/v1/') // → 'https://canvas.school.edu'
 */
export function normaliseCanvasBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname
    .replace(/\/+$/, '')
    .replace(/\/api\/v1$/i, '')
    .replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

export type CanvasQueryValue = string | number | boolean | ReadonlyArray<string | number>;
export type CanvasQuery = Record<string, CanvasQueryValue | undefined>;

/**
 * Serialises query parameters the way Canvas's Rails backend reads them: an array becomes one
 * `key[]=value` pair per element, in order. Brackets stay literal for readable logs; values are
 * URL-encoded. `undefined` values are skipped.
 *
 * @example canvasQuery({ include: ['items', 'content_details'], per_page: 100 })
 *   // → 'include[]=items&include[]=content_details&per_page=100'
 */
export function canvasQuery(params: CanvasQuery): string {
  const pairs: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const name = encodeURIComponent(key);
    if (Array.isArray(value)) {
      for (const element of value) pairs.push(`${name}[]=${encodeURIComponent(String(element))}`);
    } else {
      pairs.push(`${name}=${encodeURIComponent(String(value))}`);
    }
  }
  return pairs.join('&');
}

/** Canvas ids go into paths, so refuse anything that is not a plain non-negative integer. */
export function id(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`Not a Canvas id: ${value}`);
  return String(value);
}
