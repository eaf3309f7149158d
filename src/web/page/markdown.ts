import DOMPurify from 'dompurify';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { routes } from './router.ts';

/**
 * The one place the page turns text into HTML. Notes come from a model (or Canvas text quoted
 * by the offline summarizer), so they are untrusted: Markdown becomes HTML with marked, then
 * DOMPurify keeps only the tags and attributes Markdown makes (an allow-list), and only http(s)
 * links survive, each opening in a new tab without telling the target where it came from
 * (besides the links this module makes itself, to a moment of the item's own transcript). The
 * page's CSP forbids inline scripts as well.
 */

/** A moment as the notes write it: `00:12:34`, in brackets or not (hours may have more digits). */
const TIME = /^\[?(\d{2,}):([0-5]\d):([0-5]\d)\]?$/;

/** Milliseconds of a `hh:mm:ss` time, or null when the text is not one. */
export function timeToMs(text: string): number | null {
  const match = TIME.exec(text.trim());
  if (!match) return null;
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

/** `hh:mm:ss` of milliseconds, as the API writes times. */
export function clock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/**
 * What marked makes of Markdown, and nothing else: an allow-list, so markup a model copies in from
 * HTML (forms, labels pointing at the page's own controls, popovers, `hidden`, `inert`, `tabindex`,
 * images, SVG) is dropped whatever its name. Disallowed elements keep their text.
 */
const ALLOWED_TAGS = [
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'a',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'hr',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];
// Links, list starts and table layout. No `id`/`name` (DOM clobbering), `class`/`style` (text
// dressed up as the page's controls), `tabindex` or ARIA. The time links `bareTimes` writes carry
// only `href`; `target`, `rel` and `data-time-ms` are added after sanitizing, below.
const ALLOWED_ATTR = ['href', 'title', 'align', 'start', 'colspan', 'rowspan', 'scope'];

const isWebUrl = (href: string): boolean => {
  try {
    const { protocol } = new URL(href);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * A time written without a link (`[00:12:34]`, as notes of an item with several recordings or a
 * host without time links have) becomes a link to that moment of this item's transcript.
 */
function bareTimes(itemId: number): TokenizerAndRendererExtension {
  return {
    name: 'bareTime',
    level: 'inline',
    start: (source) => {
      const at = source.search(/\[\d{2,}:[0-5]\d:[0-5]\d\]/);
      return at < 0 ? undefined : at;
    },
    tokenizer(source) {
      // Not `[00:12:34](url)` or `[00:12:34][ref]`: marked makes those links itself.
      const match = /^\[(\d{2,}:[0-5]\d:[0-5]\d)\](?![([])/.exec(source);
      if (!match?.[1]) return undefined;
      return { type: 'bareTime', raw: match[0], time: match[1] };
    },
    renderer(token) {
      const time = String(token.time);
      const ms = timeToMs(time);
      return ms === null ? token.raw : `<a href="${routes.item(itemId, ms)}">${time}</a>`;
    },
  };
}

/** Moves every heading `by` levels down (at most to h6), children and all. */
function demoteHeadings(root: DocumentFragment, by: number): void {
  if (by <= 0) return;
  for (const heading of root.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Math.min(6, Number(heading.tagName.slice(1)) + by);
    const demoted = heading.ownerDocument.createElement(`h${level}`);
    demoted.append(...heading.childNodes);
    heading.replaceWith(demoted);
  }
}

/**
 * Sanitized HTML of `markdown`; time links carry `data-time-ms` for the transcript beside them.
 * `headingsBelow` is the level of the heading the notes sit under: their own `# Title` and
 * `## Section`s nest beneath it rather than compete with the page's headings.
 */
export function renderMarkdown(
  markdown: string,
  options: { itemId: number; headingsBelow?: number; momentLinks?: boolean },
): string {
  // `momentLinks: false` (an item with several recordings, each from 00:00:00): a bare time could
  // be in any of them, so it stays text.
  const parser = new Marked({
    gfm: true,
    extensions: options.momentLinks === false ? [] : [bareTimes(options.itemId)],
  });
  const html = parser.parse(markdown, { async: false });
  const fragment = DOMPurify.sanitize(html, {
    // Not USE_PROFILES: DOMPurify lets a profile override ALLOWED_TAGS.
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    RETURN_DOM_FRAGMENT: true,
  });
  for (const link of fragment.querySelectorAll('a')) {
    const href = link.getAttribute('href') ?? '';
    const ms = timeToMs(link.textContent ?? '');
    if (isWebUrl(href)) {
      link.setAttribute('target', '_blank');
      link.setAttribute('rel', 'noopener noreferrer');
    } else if (ms === null || href !== routes.item(options.itemId, ms)) {
      // javascript:, data:, relative and every other kind: the text stays, the link goes.
      link.removeAttribute('href');
      continue;
    }
    if (ms !== null) link.setAttribute('data-time-ms', String(ms));
  }
  demoteHeadings(fragment, options.headingsBelow ?? 0);
  const holder = document.createElement('div');
  holder.append(fragment);
  return holder.innerHTML;
}

/** A search snippet: text the server escaped, with `<mark>` around the matches and nothing else. */
export function sanitizeSnippet(html: string): string {
  return DOMPurify.sanitize(html, { ALLOWED_TAGS: ['mark'], ALLOWED_ATTR: [] });
}

/** `url` when it is an http(s) URL, for the `href` of a link from Canvas or a host; else undefined. */
export function webUrl(url: string | null | undefined): string | undefined {
  return url && isWebUrl(url) ? url : undefined;
}
