import { commaList, optionalString } from './env-values.ts';

/**
 * One CORS origin as browsers send it in `Origin` (`new URL().origin`: lower-case host, no
 * default port, no trailing slash), or why the entry is not one. `*` is refused: with no
 * authentication, it would let every website read the whole cache.
 */
function parseOrigin(entry: string): { origin: string } | { problem: string } {
  if (entry === '*') {
    return {
      problem: '"*" would let every website read your courses, transcripts and notes; list each origin',
    };
  }
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return { problem: `"${entry}" is not an origin like http://localhost:5173` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `"${entry}" is not an http or https origin` };
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    return { problem: `"${entry}" is more than an origin: give only scheme://host[:port]` };
  }
  return { origin: url.origin };
}

export const corsOriginList = optionalString.transform((value, ctx) => {
  const origins = new Set<string>();
  for (const entry of commaList(value)) {
    const parsed = parseOrigin(entry);
    if ('origin' in parsed) origins.add(parsed.origin);
    else ctx.issues.push({ code: 'custom', message: parsed.problem, input: value });
  }
  return [...origins];
});
