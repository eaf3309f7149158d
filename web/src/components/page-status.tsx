import type { ComponentChildren } from 'preact';

/** Loading, an error, or the content: the three states of every view's data. */
export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-busy="true">
      Loading {what}…
    </p>
  );
}

/** A result of an action, announced politely to screen readers. */
export function Announce({ children }: { children: ComponentChildren }) {
  return (
    <p class="announce" role="status">
      {children}
    </p>
  );
}
