import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { ItemDetail, Job } from '../api-types.ts';
import { hasWork, ItemActions } from '../components/item-actions.tsx';
import { Announce, Loading } from '../components/page-status.tsx';
import { ErrorNote, itemError, JobLine, StatusBadge } from '../components/status.tsx';
import { UploadDialog } from '../components/upload-dialog.tsx';
import { isActive, providerLabel, syncText, typeLabel } from '../format.ts';
import { useAction, useLiveEvents, useResource } from '../hooks.ts';
import { webUrl } from '../markdown.ts';
import { replaceHash, routes } from '../router.ts';
import { itemAfter, newer } from '../snapshots.ts';
import { NotesPanel } from './notes-panel.tsx';
import { type Moment, TranscriptPanel } from './transcript-panel.tsx';

/** What the content panels depend on: when it changes, they load again. */
const versionOf = (item: ItemDetail) =>
  [item.status, item.transcript_path, item.summary_path, item.updated_at].join('|');

/** `#/items/:id?t=<ms>`: the item's status and actions, its notes beside its transcript. */
export function ItemView({ id, t }: { id: number; t: number | null }) {
  const item = useResource(() => api.item(id), id, itemAfter);
  const [removed, setRemoved] = useState(false);
  const [result, setResult] = useState('');
  const [moment, setMoment] = useState<Moment | null>(null);
  const [recordings, setRecordings] = useState(0);
  const resultNote = useRef<HTMLParagraphElement>(null);
  const focusResult = useRef(false);
  const detail = item.data;
  const names = useResource(
    async () =>
      detail
        ? Promise.all([api.course(detail.course_id), api.module(detail.module_id)]).catch(() => null)
        : null,
    detail ? `${detail.course_id}/${detail.module_id}` : null,
  );

  // A sync of the module the item is in: what Canvas has for it now (title, links, recordings).
  const sync = useAction(async () => {
    if (!detail) return;
    setResult('');
    const answer = await api.refreshModule(detail.module_id);
    if (!answer.items.some((found) => found.id === id)) setRemoved(true);
    await item.reload();
    setResult(`Items of the module synced: ${syncText(answer.sync.items)}.`);
  });

  const setJob = (job: Job) => item.set((current) => current && { ...current, job: newer(current.job, job) });
  useLiveEvents((event) => {
    if (event.type === 'item' && event.item.id === id) item.set((current) => itemAfter(current, event.item));
    else if (event.type === 'job' && event.job.item_id === id) {
      // A finished job's result arrives as an `item` event; until then, show how it ended.
      setJob(event.job);
    } else if (event.type === 'item_removed' && event.removed.id === id) setRemoved(true);
    else if (event.type === 'refetch') void item.reload();
  });

  const seek = useCallback(
    (ms: number, segment?: number) => {
      setMoment((previous) => ({ ms, segment, seq: (previous?.seq ?? 0) + 1 }));
      replaceHash(routes.item(id, ms));
    },
    [id],
  );
  useEffect(() => {
    if (t !== null) setMoment((previous) => ({ ms: t, seq: (previous?.seq ?? 0) + 1 }));
  }, [t]);
  // After an upload its button goes (the item has a transcript now): focus moves to the result.
  useEffect(() => {
    if (!focusResult.current || !result) return;
    focusResult.current = false;
    resultNote.current?.focus();
  }, [result]);

  if (!detail) {
    return (
      <>
        <h1>Item {id}</h1>
        {item.error ? <ErrorNote error={item.error} /> : <Loading what="the item" />}
      </>
    );
  }
  const [course, module] = names.data ?? [];
  const work = hasWork(detail);
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumbs">
        <a href={routes.courses()}>Courses</a>
        <a href={routes.course(detail.course_id)}>{course?.name ?? `Course ${detail.course_id}`}</a>
        {module && <span>{module.title}</span>}
      </nav>
      <h1>{detail.title}</h1>
      {removed && (
        <p class="error-note" role="alert">
          This item is no longer in Canvas: a sync removed it.
        </p>
      )}
      <p class="item-meta">
        <span>{typeLabel(detail.type)}</span>
        <span>{providerLabel(detail.provider)}</span>
        <StatusBadge status={detail.status} />
      </p>
      <JobLine job={detail.job} />
      <ErrorNote error={itemError(detail)} />
      <div class="toolbar">
        {work && <ItemActions item={detail} job={detail.job} onJob={setJob} />}
        {!detail.transcript_path && detail.type !== 'SubHeader' && !isActive(detail.job) && (
          <UploadDialog
            itemId={id}
            itemTitle={detail.title}
            onUploaded={(bytes) => {
              focusResult.current = true;
              setResult(`Transcript uploaded (${Math.ceil(bytes / 1024)} kB).`);
              void item.reload();
            }}
          />
        )}
        <button type="button" onClick={() => sync.start()} disabled={sync.pending}>
          {sync.pending ? 'Syncing…' : 'Sync from Canvas'}
        </button>
        <Announce ref={resultNote}>{result}</Announce>
      </div>
      {/* A reload that failed after the item was shown (removed from Canvas, server down). */}
      <ErrorNote error={sync.error ?? item.error} />
      <ul class="links">
        {webUrl(detail.canvas_url) && (
          <li>
            <a href={webUrl(detail.canvas_url)} target="_blank" rel="noopener noreferrer">
              Open in Canvas
            </a>
          </li>
        )}
        {detail.media_links.map((link) =>
          webUrl(link.url) ? (
            <li key={link.url}>
              <a href={webUrl(link.url)} target="_blank" rel="noopener noreferrer">
                Open the recording ({providerLabel(link.provider)})
              </a>
            </li>
          ) : null,
        )}
      </ul>
      <div class="content-grid">
        <NotesPanel itemId={id} version={versionOf(detail)} onSeek={seek} momentLinks={recordings < 2} />
        <TranscriptPanel
          itemId={id}
          version={versionOf(detail)}
          moment={moment}
          onSeek={seek}
          onRecordings={setRecordings}
        />
      </div>
    </>
  );
}
