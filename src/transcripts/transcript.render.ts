/**
 * An item's transcript, rendered from the cues of each of its sources: the readable text of
 * `transcripts/{item_id}.txt` (`[hh:mm:ss]` markers; one heading per recording when there are
 * several) and the JSON of `transcripts/{item_id}.json` (cues, chapters and the same paragraphs,
 * so a client never has to parse the text back).
 */

import { cuesToTranscript, formatTimestamp } from './transcript.normalizer.ts';
import type {
  Chapter,
  FetchedTranscript,
  TranscriptCue,
  TranscriptParagraph,
} from './transcript-provider.ts';
import { transcriptErrors } from './transcripts.errors.ts';

export interface SectionSource {
  provider: string;
  ref: string;
  title: string | null;
  url: string | null;
}

export interface TranscriptSection {
  source: SectionSource;
  fetched: FetchedTranscript;
}

export interface RenderedSection {
  source: SectionSource;
  timed: boolean;
  language: string | null;
  chapters: Chapter[];
  cues: TranscriptCue[];
  paragraphs: TranscriptParagraph[];
}

export interface RenderedTranscript {
  text: string;
  /** The `transcripts/{item_id}.json` document. */
  json: string;
  sections: RenderedSection[];
}

export const CUES_FORMAT_VERSION = 1;

/** Cleans one source's cues into paragraphs; throws `transcript.no_speech` when nothing is left. */
export function renderSection(section: TranscriptSection): RenderedSection {
  const { fetched } = section;
  const base = {
    source: section.source,
    timed: fetched.timed,
    language: fetched.language ?? null,
    chapters: fetched.chapters ?? [],
  };
  if (!fetched.timed) {
    const cues = fetched.cues.filter((cue) => cue.text.trim() !== '');
    if (cues.length === 0) throw transcriptErrors.noSpeech({ message: 'The source holds no text.' });
    return { ...base, cues, paragraphs: cues.map((cue) => ({ startMs: null, text: cue.text.trim() })) };
  }
  const transcript = cuesToTranscript(fetched.cues);
  if (transcript.paragraphs.length === 0) throw transcriptErrors.noSpeech();
  return { ...base, cues: transcript.cues, paragraphs: transcript.paragraphs };
}

export function renderTranscript(itemId: number, sections: readonly RenderedSection[]): RenderedTranscript {
  const headed = sections.length > 1;
  const blocks = sections.map((section, index) => {
    const body = section.paragraphs
      .map((p) => (p.startMs === null ? p.text : `${formatTimestamp(p.startMs)} ${p.text}`))
      .join('\n\n');
    return headed ? `## ${sectionHeading(section.source, index)}\n\n${body}` : body;
  });
  const json = {
    version: CUES_FORMAT_VERSION,
    item_id: itemId,
    sources: sections.map((section) => ({
      provider: section.source.provider,
      ref: section.source.ref,
      title: section.source.title,
      url: section.source.url,
      language: section.language,
      timed: section.timed,
      chapters: section.chapters.map((chapter) => ({ start_ms: chapter.startMs, title: chapter.title })),
      cues: section.cues.map((cue) => ({
        start_ms: section.timed ? cue.startMs : null,
        end_ms: section.timed ? cue.endMs : null,
        ...(cue.speaker ? { speaker: cue.speaker } : {}),
        text: cue.text,
      })),
      paragraphs: section.paragraphs.map((p) => ({ start_ms: p.startMs, text: p.text })),
    })),
  };
  return { text: blocks.join('\n\n'), json: `${JSON.stringify(json, null, 1)}\n`, sections: [...sections] };
}

/** The `## heading` of the `index`th section (0-based), as the text writes it when there are several. */
export function sectionHeading(source: { provider: string; title: string | null }, index: number): string {
  const title = source.title?.replace(/\s+/g, ' ').trim();
  if (title) return title;
  return source.provider === 'reading' ? `Reading ${index + 1}` : `Recording ${index + 1}`;
}
