import { useState } from 'preact/hooks';
import { api, downloads } from '../api.ts';
import type { Item, Job, Module } from '../api-types.ts';
import { DownloadLink } from '../components/download-link.tsx';
import { ItemRow } from '../components/item-row.tsx';
import { Announce } from '../components/page-status.tsx';
import { ErrorNote } from '../components/status.tsx';
import { bulkText, plural, syncText } from '../format.ts';
import { useAction } from '../hooks.ts';

/** One module of the course view: its items, a sync of just this module, and summarize-all. */
export function ModuleSection({
  module,
  items,
  jobs,
  onItems,
  onJobs,
}: {
  module: Module;
  items: Item[];
  jobs: ReadonlyMap<number, Job>;
  onItems: (moduleId: number, items: Item[]) => void;
  onJobs: (jobs: Job[]) => void;
}) {
  const [result, setResult] = useState('');
  const sync = useAction(async () => {
    setResult('');
    const answer = await api.refreshModule(module.id);
    onItems(module.id, answer.items);
    setResult(`Items synced: ${syncText(answer.sync.items)}.`);
  });
  const summarize = useAction(async () => {
    setResult('');
    const answer = await api.summarizeModule(module.id);
    onJobs(answer.jobs);
    setResult(bulkText(answer));
  });
  const headingId = `module-${module.id}`;

  return (
    <section class="module" aria-labelledby={headingId} data-module-id={module.id}>
      <div class="module-head">
        <h2 id={headingId}>{module.title}</h2>
        <p class="muted">{plural(items.filter((item) => item.type !== 'SubHeader').length, 'item')}</p>
      </div>
      <div class="toolbar">
        <button type="button" onClick={() => sync.start()} disabled={sync.pending}>
          {sync.pending ? 'Syncing…' : 'Sync module'}
          <span class="visually-hidden"> {module.title}</span>
        </button>
        <button type="button" onClick={() => summarize.start()} disabled={summarize.pending}>
          Summarize all<span class="visually-hidden"> of {module.title}</span>
        </button>
        <DownloadLink href={downloads.moduleNotes(module.id)}>
          Notes (.md)<span class="visually-hidden"> of {module.title}</span>
        </DownloadLink>
        <Announce>{result}</Announce>
      </div>
      <ErrorNote error={sync.error ?? summarize.error} />
      {items.length === 0 ? (
        <p class="muted">No items in this module.</p>
      ) : (
        <ul class="items">
          {items.map((item) => (
            <ItemRow key={item.id} item={item} job={jobs.get(item.id)} onJob={(job) => onJobs([job])} />
          ))}
        </ul>
      )}
    </section>
  );
}
