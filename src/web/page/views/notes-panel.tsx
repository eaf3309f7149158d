import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { api } from '../api.ts';
import { Loading } from '../components/page-status.tsx';
import { ErrorNote } from '../components/status.tsx';
import { dateText } from '../format.ts';
import { useResource } from '../hooks.ts';
import { renderMarkdown } from '../markdown.ts';

/** Reloads `reload` whenever `version` changes after the first render (new notes were written). */
export function useReloadOn(version: string, reload: () => Promise<void>): void {
  const first = useRef(version);
  useEffect(() => {
    if (first.current === version) return;
    first.current = version;
    void reload();
  }, [version, reload]);
}

/**
 * The item's notes, rendered from Markdown; a time in them moves the transcript there. With
 * `momentLinks` false (several recordings, each from 00:00:00) times the server left unlinked stay
 * text: the transcript could not tell which recording's moment they name.
 */
export function NotesPanel({
  itemId,
  version,
  onSeek,
  momentLinks,
}: {
  itemId: number;
  version: string;
  onSeek: (ms: number) => void;
  momentLinks: boolean;
}) {
  const summary = useResource(() => api.summary(itemId), itemId);
  useReloadOn(version, summary.reload);
  const html = useMemo(
    () =>
      summary.data ? renderMarkdown(summary.data.markdown, { itemId, headingsBelow: 2, momentLinks }) : '',
    [summary.data, itemId, momentLinks],
  );

  // Links are real links (keyboard: Enter clicks them); this only notices which moment one names.
  // A recording link still opens in its new tab; a link to a moment of this item only seeks.
  const onClick = (event: MouseEvent) => {
    const link = (event.target as Element | null)?.closest?.('a[data-time-ms]');
    if (!link) return;
    if (link.getAttribute('href')?.startsWith('#')) event.preventDefault();
    onSeek(Number(link.getAttribute('data-time-ms')));
  };

  let body: ComponentChildren;
  if (summary.error?.code === 'summary.not_ready') {
    body = <p class="muted">No notes yet: summarize the item to write them.</p>;
  } else if (summary.error && !summary.data) {
    body = <ErrorNote error={summary.error} />;
  } else if (!summary.data) {
    body = <Loading what="the notes" />;
  } else {
    body = (
      <>
        <p class="muted small">
          Written {dateText(summary.data.created_at)} by{' '}
          {summary.data.model ?? summary.data.summarizer ?? 'an unknown summarizer'}
        </p>
        {/* biome-ignore lint/a11y/noStaticElementInteractions: delegates clicks of the links inside. */}
        {/* biome-ignore lint/a11y/useKeyWithClickEvents: the links inside take Enter themselves. */}
        <div
          class="notes"
          onClick={onClick}
          // The sanitized output of markdown.ts, the only HTML the page inserts besides snippets.
          dangerouslySetInnerHTML={{ __html: html }}
        />
      </>
    );
  }
  return (
    <section class="panel" aria-labelledby="notes-heading">
      <h2 id="notes-heading">Notes</h2>
      {body}
    </section>
  );
}
