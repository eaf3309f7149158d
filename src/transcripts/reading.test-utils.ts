/**
 * Test helpers for readings. `buildTestPdf` writes small but valid PDFs, so that no binary
 * fixture is committed: one Helvetica text line per string, top to bottom, with a correct
 * cross-reference table.
 */

import { createCanvasNotFoundError } from '../canvas/canvas.errors.ts';
import type { CanvasApi } from '../canvas/canvas.schemas.ts';

export interface TestPdfOptions {
  /** Lines per page; an empty string leaves a blank line (a paragraph gap). */
  pages: readonly (readonly string[])[];
  /**
   * Adds a standard-security `/Encrypt` dictionary whose password checks fail, as a PDF that
   * needs a password to open looks to a reader without one.
   */
  passwordProtected?: boolean;
  /** Draws a filled rectangle on every page instead of text, as a scan without a text layer does. */
  withoutText?: boolean;
}

const LINE_HEIGHT = 14;
const TOP = 760;

export function buildTestPdf(options: TestPdfOptions): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  const pageIds = options.pages.map((_, index) => 4 + index * 2);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  for (const [index, lines] of options.pages.entries()) {
    const content = options.withoutText ? '0.5 g 72 400 400 300 re f' : textContent(lines);
    const contentsId = (pageIds[index] ?? 0) + 1;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentsId} 0 R >>`,
    );
    add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`);
  }
  let encryptId: number | null = null;
  if (options.passwordProtected) {
    add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${'ab'.repeat(32)}> /U <${'cd'.repeat(32)}> >>`);
    encryptId = objects.length;
  }

  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (const [index, body] of objects.entries()) {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
  }
  const xrefOffset = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const encrypt = encryptId
    ? ` /Encrypt ${encryptId} 0 R /ID [<${'01'.repeat(16)}> <${'01'.repeat(16)}>]`
    : '';
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}

function textContent(lines: readonly string[]): string {
  const shown = lines.map((line) => (line === '' ? 'T*' : `(${pdfString(line)}) Tj T*`));
  return `BT /F1 11 Tf ${LINE_HEIGHT} TL 72 ${TOP} Td ${shown.join(' ')} ET`;
}

/** The WinAnsi codes of the punctuation above Latin-1 that readings use. */
const WIN_ANSI: Readonly<Record<string, number>> = {
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
};

/** A PDF literal string in WinAnsi, with its delimiters escaped. */
function pdfString(text: string): string {
  let out = '';
  for (const char of text) {
    const code = WIN_ANSI[char] ?? char.codePointAt(0) ?? 63;
    if (char === '(' || char === ')' || char === '\\') out += `\\${char}`;
    else if (code < 32 || code > 126) out += `\\${(code > 255 ? 63 : code).toString(8).padStart(3, '0')}`;
    else out += char;
  }
  return out;
}

/**
 * A Canvas client for provider tests that never opens a socket: pages and files from maps,
 * Canvas's 404 for anything else, and a page or file marked `slow` that only settles when the
 * caller's signal aborts (with its reason, as the real client does).
 */
export function inMemoryCanvas(content: {
  pages?: Record<string, string | null>;
  files?: Record<number, { bytes: Uint8Array; contentType: string | null }>;
}) {
  const calls: { method: 'getPage' | 'downloadFile'; courseId: number; id: string; maxBytes?: number }[] = [];
  const waitForAbort = (signal: AbortSignal | undefined) =>
    new Promise<never>((_, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  const canvas: Pick<CanvasApi, 'getPage' | 'downloadFile'> = {
    async getPage(courseId, pageUrl, { signal } = {}) {
      calls.push({ method: 'getPage', courseId, id: pageUrl });
      signal?.throwIfAborted();
      if (pageUrl === 'slow') return waitForAbort(signal);
      const body = content.pages?.[pageUrl];
      if (body === undefined) throw createCanvasNotFoundError();
      return { url: pageUrl, title: pageUrl, body, updated_at: '2025-09-08T18:40:12Z' };
    },
    async downloadFile(courseId, fileId, { signal, maxBytes } = {}) {
      calls.push({ method: 'downloadFile', courseId, id: String(fileId), ...(maxBytes ? { maxBytes } : {}) });
      signal?.throwIfAborted();
      const file = content.files?.[fileId];
      if (!file) throw createCanvasNotFoundError({ message: `Canvas has no file ${fileId}.` });
      return file;
    },
  };
  return { canvas, calls };
}
