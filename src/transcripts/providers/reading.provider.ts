/**
 * Readings: a Canvas Page with no recording, and PDF, plain-text, Markdown and HTML files. Their
 * text is the source, one untimed cue per paragraph. Everything comes through the Canvas
 * client, so the token rules and host checks are the client's; its errors pass through as
 * they are.
 */

import type { CanvasApi } from '../../canvas/canvas.schemas.ts';
import { isAppError } from '../../shared/errors.ts';
import { extractPdfPages, pdfPagesToParagraphs } from '../reading.pdf.ts';
import {
  htmlToParagraphs,
  markdownToParagraphs,
  type ReadingFormat,
  textToParagraphs,
} from '../reading.text.ts';
import { decodeText, looksBinary } from '../text-decoding.ts';
import {
  type DetectFile,
  defineTranscriptProvider,
  type FetchContext,
  type FetchedTranscript,
  type MediaRef,
  type TranscriptProvider,
} from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { readingErrors } from './reading.errors.ts';

export interface ReadingProviderOptions {
  canvas: Pick<CanvasApi, 'getPage' | 'downloadFile'>;
  /** The largest file downloaded, in bytes. Default 50 MB: far above a text PDF, while slides full of images can reach it. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

const TYPE_FORMATS: Readonly<Record<string, ReadingFormat>> = {
  'application/pdf': 'pdf',
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
};
const EXTENSION_FORMATS: Readonly<Record<string, ReadingFormat>> = {
  pdf: 'pdf',
  txt: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
};
/** The content type a ref records for each format, whatever Canvas called the file. */
const FORMAT_TYPES: Readonly<Record<ReadingFormat, string>> = {
  pdf: 'application/pdf',
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
};

/** The reading for a Page that holds no recording; discovery calls this, not `detect`. */
export function pageReadingRef(page: {
  url: string;
  title?: string | null;
  htmlUrl?: string | null;
}): MediaRef {
  return {
    provider: 'reading',
    ref: `page:${page.url}`,
    url: page.htmlUrl ?? null,
    foundIn: 'page_body',
    details: { page_url: page.url },
    title: page.title ?? null,
  };
}

export function createReadingProvider(options: ReadingProviderOptions): TranscriptProvider {
  const { canvas } = options;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;

  const tooLarge = (cause?: unknown) =>
    transcriptErrors.tooLarge({
      message: `This file is larger than the ${Math.round(maxBytes / (1024 * 1024))} MB limit for readings; upload its text with PUT /items/{id}/transcript.`,
      cause,
    });

  async function fetchFile(fileId: number, ref: MediaRef, context: FetchContext): Promise<string[]> {
    const download = await canvas
      .downloadFile(context.courseId, fileId, { signal: context.signal, maxBytes })
      .catch((error: unknown) => {
        if (isAppError(error) && error.code === transcriptErrors.tooLarge.code) throw tooLarge(error);
        throw error;
      });
    context.signal?.throwIfAborted();
    const { bytes } = download;
    if (bytes.byteLength > maxBytes) throw tooLarge();
    const format = startsLikePdf(bytes)
      ? 'pdf'
      : (formatOfType(ref.details.content_type) ?? formatOfType(download.contentType));
    if (format === 'pdf') return readPdf(bytes, context);
    if (!format || looksBinary(bytes)) {
      throw readingErrors.unsupportedType({
        message: `canvas-notes cannot read a file of type ${download.contentType ?? 'unknown'} as text; upload its text with PUT /items/{id}/transcript.`,
      });
    }
    const text = decodeText(bytes, download.contentType);
    if (format === 'html') return htmlToParagraphs(text);
    if (format === 'markdown') return markdownToParagraphs(text);
    return textToParagraphs(text);
  }

  return defineTranscriptProvider({
    name: 'reading',

    detect(input) {
      if (input.kind !== 'file') return [];
      const format = fileFormat(input.file);
      if (!format) return [];
      return [
        {
          provider: 'reading',
          ref: `file:${input.file.id}`,
          url: null,
          foundIn: 'file',
          details: { file_id: String(input.file.id), content_type: FORMAT_TYPES[format] },
          title: input.file.displayName,
        },
      ];
    },

    async fetch(ref, context): Promise<FetchedTranscript> {
      context.signal?.throwIfAborted();
      const file = /^file:(\d+)$/.exec(ref.ref);
      const page = /^page:(.+)$/.exec(ref.ref);
      let paragraphs: string[];
      if (file) {
        paragraphs = await fetchFile(Number(file[1]), ref, context);
      } else if (page?.[1]) {
        const { body } = await canvas.getPage(context.courseId, page[1], { signal: context.signal });
        context.signal?.throwIfAborted();
        paragraphs = htmlToParagraphs(body ?? '');
        if (paragraphs.length === 0) {
          throw readingErrors.noText({ message: 'This Canvas page holds no text to summarise.' });
        }
      } else {
        throw transcriptErrors.notFound({ message: `"${ref.ref}" is not a Canvas page or file reference.` });
      }
      if (paragraphs.length === 0) throw readingErrors.noText();
      return { cues: paragraphs.map((text) => ({ startMs: 0, endMs: 0, text })), timed: false };
    },
  });
}

async function readPdf(bytes: Uint8Array, context: FetchContext): Promise<string[]> {
  const pages = await extractPdfPages(bytes, context.signal).catch((error: unknown) => {
    if (context.signal?.aborted) throw context.signal.reason;
    const message =
      error instanceof Error && error.name === 'PasswordException'
        ? 'This PDF is protected by a password, so canvas-notes cannot read it; upload its text with PUT /items/{id}/transcript.'
        : 'This PDF is damaged and could not be read; upload its text with PUT /items/{id}/transcript.';
    throw readingErrors.unreadable({ message, cause: error });
  });
  context.signal?.throwIfAborted();
  const paragraphs = pdfPagesToParagraphs(pages);
  if (paragraphs.length === 0) {
    throw readingErrors.noText({
      message:
        'This PDF has no text layer (it looks scanned); run it through text recognition (OCR) and upload the text with PUT /items/{id}/transcript.',
    });
  }
  return paragraphs;
}

/** What a Canvas file's metadata says it is, or null when it is not a reading. */
function fileFormat(file: DetectFile): ReadingFormat | null {
  if (file.mediaEntryId) return null; // audio and video: recordings, not readings
  const type = baseType(file.contentType);
  const extension = /\.([a-z0-9]+)$/i.exec(file.displayName)?.[1]?.toLowerCase();
  const byName = extension ? EXTENSION_FORMATS[extension] : undefined;
  // Canvas stores what the browser sent at upload; `.md` files often come as text/plain.
  if (byName === 'markdown' && (type === 'text/plain' || type === 'text/x-markdown')) return 'markdown';
  const byType = type ? TYPE_FORMATS[type] : undefined;
  if (byType) return byType;
  if (type === null || type === 'application/octet-stream') return byName ?? null;
  return null;
}

function formatOfType(contentType: string | null | undefined): ReadingFormat | null {
  const type = baseType(contentType ?? null);
  return (type && TYPE_FORMATS[type]) || null;
}

function baseType(contentType: string | null): string | null {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

/** PDF readers accept the `%PDF-` header anywhere in the first kilobyte. */
function startsLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).includes('%PDF-');
}
