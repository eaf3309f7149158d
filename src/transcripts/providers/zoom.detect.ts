/**
 * Finds Zoom cloud recordings in what Canvas shows, with the passcode a teacher wrote beside the
 * link ("Passcode: 8#xY2!") or put in it (`?pwd=`). One ref per recording: links that differ only
 * in their query (`startTime=`, `pwd=`) are the same recording.
 */

import type { HTMLElement } from 'node-html-parser';
import { surroundingText } from '../page-html.ts';
import type { DetectInput, FoundIn, MediaRef, PageLink } from '../transcript-provider.ts';
import { parseZoomRecordingLink, passcodesIn, type ZoomRecordingLink } from './zoom.links.ts';

// The same inline tags `surroundingText` steps past, so both read the same block.
const INLINE_TAGS = /^(?:a|span|strong|em|b|i)$/i;

export function detectZoomRecordings(input: DetectInput): MediaRef[] {
  if (input.kind === 'file') return [];
  if (input.kind === 'url') {
    const link = parseZoomRecordingLink(input.url);
    if (!link) return [];
    const title = input.title?.trim() || null;
    // A module item titled "Lecture 3 (Passcode: 8#xY2!)" carries it there.
    return [toRef(link, 'item_url', link.passcode ?? passcodesIn(title ?? '')[0]?.passcode, title)];
  }
  const found = input.page.links.flatMap((pageLink) => {
    const link = parseZoomRecordingLink(pageLink.url);
    return link ? [{ pageLink, link }] : [];
  });
  const refs = new Map<string, MediaRef>();
  for (const { pageLink, link } of found) {
    const passcode =
      link.passcode ??
      passcodeBeside(
        pageLink,
        found.map((other) => other.pageLink),
      );
    const ref = toRef(link, 'page_body', passcode, linkTitle(pageLink.element));
    const seen = refs.get(ref.ref);
    if (!seen) refs.set(ref.ref, ref);
    else if (!seen.details.passcode && ref.details.passcode)
      refs.set(ref.ref, { ...ref, title: seen.title ?? ref.title });
  }
  return [...refs.values()];
}

function toRef(
  link: ZoomRecordingLink,
  foundIn: FoundIn,
  passcode: string | undefined,
  title: string | null,
): MediaRef {
  const details: Record<string, string> = passcode ? { passcode } : {};
  return { provider: 'zoom', ref: link.ref, url: link.url, foundIn, details, title };
}

/**
 * The passcode written in the link's block ("<p><a>Lecture 3</a> Passcode: x</p>"), or in the
 * block right after it ("<p><a>…</a></p><p>Passcode: x</p>", a table cell beside it). A block
 * that lists several recordings gives each the passcode written after its own link.
 */
function passcodeBeside(link: PageLink, recordingLinks: readonly PageLink[]): string | undefined {
  const text = surroundingText(link);
  const codes = passcodesIn(text);
  if (codes.length === 0) return passcodeInNextBlock(link.element, recordingLinks);
  const sameBlock = recordingLinks.filter((other) => blockOf(other.element) === blockOf(link.element));
  if (codes.length === 1 || sameBlock.length <= 1) return codes[0]?.passcode;
  if (codes.length === sameBlock.length) return codes[sameBlock.indexOf(link)]?.passcode;
  // Otherwise place each link by its own text in the block and take the code that follows it.
  let from = 0;
  for (const other of sameBlock) {
    const label = other.element.textContent.replace(/\s+/g, ' ').trim();
    const at = label ? text.indexOf(label, from) : -1;
    if (at < 0) return undefined;
    from = at + label.length;
    if (other === link) {
      const next = sameBlock[sameBlock.indexOf(link) + 1];
      const nextLabel = next?.element.textContent.replace(/\s+/g, ' ').trim();
      const end = nextLabel ? text.indexOf(nextLabel, from) : -1;
      return codes.find((code) => code.index >= from && (end < 0 || code.index < end))?.passcode;
    }
  }
  return undefined;
}

function passcodeInNextBlock(element: HTMLElement, recordingLinks: readonly PageLink[]): string | undefined {
  const next = blockOf(element).nextElementSibling;
  if (!next) return undefined;
  // That block names a recording of its own: its passcode is that recording's.
  if (recordingLinks.some((other) => isInside(other.element, next))) return undefined;
  return passcodesIn(next.textContent.replace(/\s+/g, ' '))[0]?.passcode;
}

/** The block `surroundingText` reads: the link's parent, or its grandparent past inline markup. */
function blockOf(element: HTMLElement): HTMLElement {
  const parent = element.parentNode;
  if (!parent) return element;
  return parent.parentNode && parent.rawTagName && INLINE_TAGS.test(parent.rawTagName)
    ? parent.parentNode
    : parent;
}

function isInside(element: HTMLElement, container: HTMLElement): boolean {
  for (let node: HTMLElement | null = element; node; node = node.parentNode)
    if (node === container) return true;
  return false;
}

function linkTitle(element: HTMLElement): string | null {
  const text = element.textContent.replace(/\s+/g, ' ').trim();
  return text || element.getAttribute('title')?.trim() || null;
}
