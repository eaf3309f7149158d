import type { Job } from './api-types.ts';
import { isActive } from './format.ts';

/**
 * The page hears of one item or job from several places that can answer out of order: the event
 * stream, a reload, the answer to a POST. Whatever arrives last is not always newest (a POST's
 * "queued" can land after the stream said "succeeded"), so every merge goes through these rules:
 * a snapshot older than the one shown, by the server's `updated_at`, is ignored.
 */

export interface Stamped {
  updated_at: string;
}

/** Whether `incoming` was taken before `shown`: it must not replace it. A tie is not older. */
export function isOlder(incoming: Stamped, shown: Stamped | null | undefined): boolean {
  return !!shown && Date.parse(incoming.updated_at) < Date.parse(shown.updated_at);
}

/** `incoming`, unless `shown` is newer. */
export function newer<T extends Stamped>(shown: T | null | undefined, incoming: T): T {
  return shown && isOlder(incoming, shown) ? shown : incoming;
}

/**
 * An item's job after a snapshot that names its active job (`incoming`), or says it has none
 * (`null`). A finished job stays as it was shown, so a late copy of it as queued or running is
 * recognised as older; an active one the snapshot no longer names has ended.
 */
export function jobAfter(shown: Job | null | undefined, incoming: Job | null): Job | null {
  if (incoming) return newer(shown, incoming);
  return shown && !isActive(shown) ? shown : null;
}

/** An item (with its job, when it has one) after another snapshot of it. */
export function itemAfter<T extends Stamped & { job?: Job | null }>(
  shown: T | null | undefined,
  incoming: T,
): T {
  if (shown && isOlder(incoming, shown)) return shown;
  if (!('job' in incoming)) return incoming;
  return { ...incoming, job: jobAfter(shown?.job, incoming.job ?? null) };
}
