/**
 * A `fetch` that sends requests for real hosts to local fake servers, so providers keep using
 * their real URLs (and their host rules see real host names) while tests stay offline.
 *
 *   rewriteFetch({ 'https://zoom.us': fake.origin, 'https://*.zoom.us': fake.origin })
 *
 * Keys are origins; `scheme://*.domain` matches every subdomain of `domain` (not the domain
 * itself). An exact origin wins over a wildcard. The original host travels in
 * `X-Forwarded-Host`, so one fake can play several hosts. A request for an origin with no
 * mapping is rejected like a network failure: a test never reaches the internet by accident.
 */

export type OriginMap = Readonly<Record<string, string>>;

export function rewriteFetch(map: OriginMap, baseFetch: typeof fetch = globalThis.fetch): typeof fetch {
  const exact = new Map<string, string>();
  const wildcards: { protocol: string; suffix: string; target: string }[] = [];
  for (const [key, target] of Object.entries(map)) {
    const wildcard = /^(https?:)\/\/\*\.(.+)$/i.exec(key);
    if (wildcard?.[1] && wildcard[2]) {
      wildcards.push({
        protocol: wildcard[1].toLowerCase(),
        suffix: `.${wildcard[2].toLowerCase()}`,
        target,
      });
    } else {
      exact.set(new URL(key).origin, target);
    }
  }
  const targetFor = (url: URL): string | undefined =>
    exact.get(url.origin) ??
    wildcards.find((w) => w.protocol === url.protocol && url.hostname.endsWith(w.suffix))?.target;

  return async (input, init) => {
    // A Request carries its own method, headers and body; a string or URL takes them from init.
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : input);
    const target = targetFor(url);
    if (!target) throw new TypeError(`rewriteFetch: no fake serves ${url.origin}`);
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set('x-forwarded-host', url.host);
    headers.set('x-forwarded-proto', url.protocol.slice(0, -1));
    const rewritten = new URL(`${url.pathname}${url.search}`, target);
    if (!request) return baseFetch(rewritten, { ...init, headers });
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    return baseFetch(rewritten, {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: request.redirect,
      signal: init?.signal ?? request.signal,
    });
  };
}
