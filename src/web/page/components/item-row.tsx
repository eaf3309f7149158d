import type { Item, Job } from '../api-types.ts';
import { providerLabel, typeLabel } from '../format.ts';
import { routes } from '../router.ts';
import { hasWork, ItemActions } from './item-actions.tsx';
import { ErrorNote, itemError, JobLine, StatusBadge } from './status.tsx';

/** One module item: its type, provider, status, error, live job progress and actions. */
export function ItemRow({
  item,
  job,
  onJob,
}: {
  item: Item;
  job: Job | undefined;
  onJob: (job: Job) => void;
}) {
  if (item.type === 'SubHeader') {
    return (
      <li class="item subheader" data-item-id={item.id}>
        <h3>{item.title}</h3>
      </li>
    );
  }
  const work = hasWork(item);
  return (
    <li class={`item indent-${Math.min(item.indent, 3)}`} data-item-id={item.id}>
      <div class="item-main">
        <a class="item-title" href={routes.item(item.id)}>
          {item.title}
        </a>
        <p class="item-meta">
          <span>{typeLabel(item.type)}</span>
          <span>{providerLabel(item.provider)}</span>
          {work && <StatusBadge status={item.status} />}
        </p>
        <JobLine job={job} />
        <ErrorNote error={itemError(item)} compact />
      </div>
      {work && <ItemActions item={item} job={job} onJob={onJob} />}
    </li>
  );
}
