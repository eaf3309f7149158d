import type { ComponentChildren, Ref } from 'preact';

/** Loading, an error, or the content: the three states of every view's data. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

/**
 * A result of an action, announced politely to screen readers. It can take focus (`ref`) for when
 * the control that was used goes away, so keyboard focus does not fall back to the page's start.
 */
export function Announce({
  children,
  ref,
}: {
  children: ComponentChildren;
  ref?: Ref<HTMLParagraphElement>;
}) {
  return (
    <p class="announce" role="status" tabIndex={-1} ref={ref}>
      {children}
    </p>
  );
}
