import type { ComponentChildren } from 'preact';
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

/** The transcript with its times; a moment chosen anywhere scrolls here and is highlighted. */
export function TranscriptPanel({
  itemId,
  version,
  moment,
  onSeek,
}: {
  itemId: number;
  version: string;
  moment: Moment | null;
  onSeek: (ms: number) => void;
}) {
  const transcript = useResource(() => api.transcript(itemId), itemId);
  useReloadOn(version, transcript.reload);
  const segments = transcript.data?.segments;
  const current = useMemo(
    () => (segments && moment ? segmentAt(segments, moment.ms) : -1),
    [segments, moment],
  );
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (current < 0) return;
    list.current?.children[current]?.scrollIntoView({ block: 'center' });
  }, [current, moment]);

  let body: ComponentChildren;
  if (transcript.error?.code === 'transcript.not_ready') {
    body = <p class="muted">No transcript yet: fetch it, or upload one.</p>;
  } else if (transcript.error && !segments) {
    body = <ErrorNote error={transcript.error} />;
  } else if (!segments) {
    body = <Loading what="the transcript" />;
  } else {
    body = (
      <ol class="segments" ref={list}>
        {segments.map((segment, index) => (
          <li
            // Segments have no id of their own; their order is the transcript's.
            key={index}
            class={index === current ? 'segment current' : 'segment'}
            aria-current={index === current ? 'true' : undefined}
            data-start-ms={segment.start_ms ?? undefined}
          >
            <SegmentTime segment={segment} onSeek={onSeek} />
            <span class="segment-text">{segment.text}</span>
          </li>
        ))}
      </ol>
    );
  }
  return (
    <section class="panel transcript" aria-labelledby="transcript-heading">
      <h2 id="transcript-heading">Transcript</h2>
      {body}
    </section>
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
