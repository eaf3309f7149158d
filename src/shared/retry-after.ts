/**
 * `Retry-After` (RFC 9110: delta seconds or an HTTP date) in whole seconds, rounded up; `undefined`
 * when absent or unreadable. One reader for every host that throttles us (Canvas, transcript
 * hosts, the model server).
 */
export function parseRetryAfterSeconds(
  headerValue: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const trimmed = headerValue?.trim();
  if (!trimmed) return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number.parseFloat(trimmed));
  // An HTTP date names its day and month; V8's Date.parse would read "-5" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
