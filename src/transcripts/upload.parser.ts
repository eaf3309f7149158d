/**
 * A transcript the user uploads (`PUT /items/{id}/transcript`): WebVTT or SRT by content type,
 * else by sniffing for a timing line; anything else is plain text, turned into paragraphs.
 */

import { detectCaptionFormat, parseCaptions } from './captions.parser.ts';
import { normalizePlainCaptions } from './transcript.normalizer.ts';
import { type RenderedSection, renderSection, type SectionSource } from './transcript.render.ts';
import { transcriptErrors } from './transcripts.errors.ts';

const CAPTION_TYPES = new Set([
  'text/vtt',
  'application/x-subrip',
  'application/srt',
  'text/srt',
  'text/x-srt',
]);

/** Sniffed: what clients send when they do not know (curl --data-binary, a file picker). */
const UNDECLARED_TYPES = new Set(['application/octet-stream', 'application/x-www-form-urlencoded']);
// NUL or the replacement character of an invalid UTF-8 sequence: a binary file, not a transcript.
const isBinary = (text: string) => text.includes('\u0000') || text.includes('\uFFFD');

export const UPLOAD_SOURCE: SectionSource = { provider: 'upload', ref: 'upload', title: null, url: null };

export interface ParsedUpload {
  section: RenderedSection;
  format: 'vtt' | 'srt' | 'text';
}

export function parseUploadedTranscript(body: string, contentType: string | undefined): ParsedUpload {
  const declared = contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
  const text = body.replace(/^\uFEFF/, '');
  // Before the type: an empty body is no body whatever it is labelled (clients send
  // `Content-Type: application/json` on every request).
  if (text.trim() === '') throw transcriptErrors.uploadEmpty();
  if (
    declared &&
    !declared.startsWith('text/') &&
    !CAPTION_TYPES.has(declared) &&
    !UNDECLARED_TYPES.has(declared)
  ) {
    throw transcriptErrors.uploadUnsupportedType({
      message: `A ${declared} body is not a transcript: upload WebVTT (text/vtt), SRT (application/x-subrip) or plain text (text/plain).`,
    });
  }
  if (isBinary(text)) {
    throw transcriptErrors.uploadUnparseable({
      message: 'The uploaded file is binary, not text: upload a caption or text file.',
    });
  }
  const sniffed = detectCaptionFormat(text);
  if ((declared && CAPTION_TYPES.has(declared)) || sniffed) {
    const cues = parseCaptions(text);
    if (cues.length === 0) throw transcriptErrors.uploadUnparseable();
    try {
      const section = renderSection({ source: UPLOAD_SOURCE, fetched: { cues, timed: true } });
      return { section, format: sniffed ?? (declared === 'text/vtt' ? 'vtt' : 'srt') };
    } catch {
      throw transcriptErrors.uploadUnparseable({
        message: 'The uploaded captions hold only sound marks, no speech.',
      });
    }
  }
  const plain = normalizePlainCaptions(text);
  if (plain.paragraphs.length === 0) throw transcriptErrors.uploadEmpty();
  const section = renderSection({
    source: UPLOAD_SOURCE,
    fetched: { cues: plain.cues, timed: false },
  });
  return { section, format: 'text' };
}
