import { type ComponentChildren, Fragment } from 'preact';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { api } from '../api.ts';
import type { Segment } from '../api-types.ts';
import { Loading } from '../components/page-status.tsx';
import { ErrorNote } from '../components/status.tsx';
import { useResource } from '../hooks.ts';
import { webUrl } from '../markdown.ts';
import { useReloadOn } from './notes-panel.tsx';

/** The moment to show; `seq` tells a second click on the same moment from the first. */
export interface Moment {
  ms: number;
  seq: number;
  /**
   * The segment's index, when the moment was chosen in the transcript itself: each recording of
   * an item restarts at 00:00:00, so with several a time alone does not say which one it is in.
   */
  segment?: number;
}

/** How many recordings the segments' times are counted in (0 for untimed text). */
export function timedRecordings(segments: readonly Segment[]): number {
  return new Set(segments.filter((segment) => segment.start_ms !== null).map((segment) => segment.source))
    .size;
}

/**
 * The segment to show for `moment`, or -1 for none: a bare time (the address's `?t=`, a search
 * hit) of an item with several recordings could be in any of them, so it opens the item only.
 */
export function segmentOf(segments: readonly Segment[], moment: Moment): number {
  if (moment.segment !== undefined) return moment.segment < segments.length ? moment.segment : -1;
  return timedRecordings(segments) > 1 ? -1 : segmentAt(segments, moment.ms);
}

/**
 * The segment being said at `ms`: the last one starting at or before it. Times name whole
 * seconds (`00:01:29`), so a segment starting at 89.4 s is the one said at 00:01:29.
 */
export function segmentAt(segments: readonly Segment[], ms: number): number {
  let found = -1;
  segments.forEach((segment, index) => {
    if (segment.start_ms !== null && Math.floor(segment.start_ms / 1000) * 1000 <= ms) found = index;
  });
  // A moment before the first words is the first segment's.
  return found === -1 ? segments.findIndex((segment) => segment.start_ms !== null) : found;
}

/**
 * The transcript with its times, under a heading per recording when the item holds several; a
 * moment chosen anywhere scrolls here and is highlighted. `onRecordings` hears how many timed
 * recordings there are once the transcript is loaded.
 */
export function TranscriptPanel({
  itemId,
  version,
  moment,
  onSeek,
  onRecordings,
}: {
  itemId: number;
  version: string;
  moment: Moment | null;
  onSeek: (ms: number, segment: number) => void;
  onRecordings?: (count: number) => void;
}) {
  const transcript = useResource(() => api.transcript(itemId), itemId);
  useReloadOn(version, transcript.reload);
  const segments = transcript.data?.segments;
  const current = useMemo(() => (segments && moment ? segmentOf(segments, moment) : -1), [segments, moment]);
  const list = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (segments) onRecordings?.(timedRecordings(segments));
  }, [segments, onRecordings]);

  useEffect(() => {
    if (current < 0) return;
    list.current?.querySelectorAll('.segment')[current]?.scrollIntoView({ block: 'center' });
  }, [current, moment]);

  let body: ComponentChildren;
  if (transcript.error?.code === 'transcript.not_ready') {
    body = <p class="muted">No transcript yet: fetch it, or upload one.</p>;
  } else if (transcript.error && !segments) {
    body = <ErrorNote error={transcript.error} />;
  } else if (!segments) {
    body = <Loading what="the transcript" />;
  } else {
    const sources = transcript.data?.sources ?? [];
    // As the text does: a heading per section only when there are several.
    const headed = sources.length > 1;
    body = (
      <div ref={list}>
        {sections(segments, headed).map((section) => (
          <Fragment key={section.rows[0]?.index}>
            {headed && (
              <h3 class="recording-heading">
                {sources[section.source]?.heading ?? `Recording ${section.source + 1}`}
              </h3>
            )}
            <ol class="segments">
              {section.rows.map(({ segment, index }) => (
                <SegmentRow
                  // Segments have no id of their own; their order is the transcript's.
                  key={index}
                  segment={segment}
                  current={index === current}
                  onSeek={(ms) => onSeek(ms, index)}
                />
              ))}
            </ol>
          </Fragment>
        ))}
      </div>
    );
  }
  return (
    <section class="panel transcript" aria-labelledby="transcript-heading">
      <h2 id="transcript-heading">Transcript</h2>
      {body}
    </section>
  );
}

interface Section {
  source: number;
  rows: { segment: Segment; index: number }[];
}

/** Runs of segments of one source, in order (one run holding all when there are no headings). */
function sections(segments: readonly Segment[], headed: boolean): Section[] {
  const runs: Section[] = [];
  segments.forEach((segment, index) => {
    const source = headed ? segment.source : 0;
    const last = runs.at(-1);
    if (last && last.source === source) last.rows.push({ segment, index });
    else runs.push({ source, rows: [{ segment, index }] });
  });
  return runs;
}

function SegmentRow({
  segment,
  current,
  onSeek,
}: {
  segment: Segment;
  current: boolean;
  onSeek: (ms: number) => void;
}) {
  return (
    <li
      class={current ? 'segment current' : 'segment'}
      aria-current={current ? 'true' : undefined}
      data-start-ms={segment.start_ms ?? undefined}
      data-source={segment.source}
    >
      <SegmentTime segment={segment} onSeek={onSeek} />
      <span class="segment-text">{segment.text}</span>
    </li>
  );
}

/** A segment's time: a link to the recording at that moment where there is one, else a button. */
function SegmentTime({ segment, onSeek }: { segment: Segment; onSeek: (ms: number) => void }) {
  const ms = segment.start_ms;
  if (ms === null || segment.start === null) return null;
  const href = webUrl(segment.link);
  if (href) {
    return (
      <a class="time" href={href} target="_blank" rel="noopener noreferrer" onClick={() => onSeek(ms)}>
        <span class="visually-hidden">Open the recording at </span>
        {segment.start}
      </a>
    );
  }
  return (
    <button type="button" class="time" onClick={() => onSeek(ms)}>
      <span class="visually-hidden">Go to </span>
      {segment.start}
    </button>
  );
}
