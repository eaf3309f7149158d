import type { FastifyReply } from 'fastify';

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header.split(',').flatMap((part) => {
    const [range = '', ...params] = part.split(';').map((piece) => piece.trim().toLowerCase());
    const [type, subtype] = range.split('/');
    if (!type || !subtype) return [];
    const qParam = params.find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    return Number.isFinite(q) ? [{ type, subtype, q: Math.min(Math.max(q, 0), 1) }] : [];
  });
}

/** The quality the client gives `mediaType`: the most specific matching range decides. */
function qualityOf(ranges: readonly MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { specificity, q: range.q };
  }
  return best?.q ?? 0;
}

/**
 * Picks what to answer from `offered` (the default first) by the request's Accept header, with
 * q-values and wildcards (RFC 9110 §12.5.1); ties go to the earlier offer. With no Accept header,
 * or one that accepts none of the offers, the default is sent: RFC 9110 allows disregarding
 * Accept instead of answering 406, and a client that can read nothing else still gets the text.
 */
export function negotiate<const T extends readonly [string, ...string[]]>(
  accept: string | undefined,
  offered: T,
): T[number] {
  if (!accept) return offered[0];
  const ranges = parseAccept(accept);
  let chosen: T[number] = offered[0];
  let chosenQ = 0;
  for (const mediaType of offered) {
    const q = qualityOf(ranges, mediaType);
    if (q > chosenQ) {
      chosen = mediaType;
      chosenQ = q;
    }
  }
  return chosen;
}

/** Adds `Vary: Accept` without dropping what CORS may have set (`Vary: Origin`). */
export function varyOnAccept(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const existing = Array.isArray(current) ? current.join(', ') : current === undefined ? '' : String(current);
  if (/(^|,)\s*accept\s*(,|$)/i.test(existing)) return;
  reply.header('vary', existing ? `${existing}, Accept` : 'Accept');
}
