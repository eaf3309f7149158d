import { describe, expect, it } from 'vitest';
import { createCanvasForbiddenError } from '../../canvas/canvas.errors.ts';
import { isAppError } from '../../shared/errors.ts';
import { parsePageDocument } from '../page-html.ts';
import { buildTestPdf, inMemoryCanvas } from '../reading.test-utils.ts';
import type { DetectFile, MediaRef } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { createReadingProvider, pageReadingRef } from './reading.provider.ts';

const CONTEXT = { courseId: 7 };
const file = (
  displayName: string,
  contentType: string | null,
  extra: Partial<DetectFile> = {},
): DetectFile => ({
  id: 42,
  displayName,
  contentType,
  size: 1000,
  mediaEntryId: null,
  ...extra,
});
const fileRef = (id: number, contentType?: string): MediaRef => ({
  provider: 'reading',
  ref: `file:${id}`,
  url: null,
  foundIn: 'file',
  details: { file_id: String(id), ...(contentType ? { content_type: contentType } : {}) },
});
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the fetch to fail');
    },
    (error: unknown) => error,
  );
const bytes = (text: string) => new TextEncoder().encode(text);

describe('reading detect', () => {
  const provider = createReadingProvider({ canvas: inMemoryCanvas({}).canvas });
  const detected = (input: DetectFile) =>
    provider.detect({ kind: 'file', file: input })[0]?.details.content_type;

  it('claims PDF, text, Markdown and HTML files, by content type or by name when the type says nothing', () => {
    expect(detected(file('Week 3.pdf', 'application/pdf'))).toBe('application/pdf');
    expect(detected(file('notes', 'text/plain'))).toBe('text/plain');
    expect(detected(file('notes', 'text/markdown; charset=utf-8'))).toBe('text/markdown');
    expect(detected(file('notes.md', 'text/x-markdown'))).toBe('text/markdown');
    expect(detected(file('notes.markdown', 'application/octet-stream'))).toBe('text/markdown');
    expect(detected(file('README.md', 'text/plain'))).toBe('text/markdown');
    expect(detected(file('page.html', 'text/html'))).toBe('text/html');
    expect(detected(file('page.HTM', 'application/octet-stream'))).toBe('text/html');
    expect(detected(file('paper.pdf', null))).toBe('application/pdf');
    expect(detected(file('read me.txt', 'application/octet-stream'))).toBe('text/plain');
  });

  it('returns the file as a reading ref named by its display name', () => {
    expect(provider.detect({ kind: 'file', file: file('Week 3 slides.pdf', 'application/pdf') })).toEqual([
      {
        provider: 'reading',
        ref: 'file:42',
        url: null,
        foundIn: 'file',
        details: { file_id: '42', content_type: 'application/pdf' },
        title: 'Week 3 slides.pdf',
      },
    ]);
  });

  it('leaves recordings, other file types, URLs and pages alone', () => {
    expect(detected(file('lecture.mp4', 'video/mp4', { mediaEntryId: 'm-123' }))).toBeUndefined();
    expect(detected(file('talk.txt', 'text/plain', { mediaEntryId: 'm-123' }))).toBeUndefined();
    expect(
      detected(
        file('slides.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'),
      ),
    ).toBeUndefined();
    expect(detected(file('photo.png', 'image/png'))).toBeUndefined();
    expect(detected(file('archive.zip', 'application/octet-stream'))).toBeUndefined();
    expect(detected(file('slides.pdf', 'image/png'))).toBeUndefined();
    expect(provider.detect({ kind: 'url', url: 'https://canvas.example.edu/files/9/paper.pdf' })).toEqual([]);
    expect(
      provider.detect({ kind: 'page', page: parsePageDocument('<p>Read <a href="a.pdf">this</a>.</p>') }),
    ).toEqual([]);
  });
});

describe('pageReadingRef', () => {
  it('names the page by its slug, where the page opens and its title', () => {
    expect(
      pageReadingRef({
        url: 'week-3-notes',
        title: 'Week 3 notes',
        htmlUrl: 'https://canvas.example.edu/courses/7/pages/week-3-notes',
      }),
    ).toEqual({
      provider: 'reading',
      ref: 'page:week-3-notes',
      url: 'https://canvas.example.edu/courses/7/pages/week-3-notes',
      foundIn: 'page_body',
      details: { page_url: 'week-3-notes' },
      title: 'Week 3 notes',
    });
    expect(pageReadingRef({ url: 'x' })).toMatchObject({ url: null, title: null });
  });
});

describe('reading fetch', () => {
  it('reads a page body into untimed paragraph cues', async () => {
    const { canvas, calls } = inMemoryCanvas({
      pages: {
        'week-3': '<h2>Membranes</h2><p>The bilayer &amp; its proteins.</p><ul><li>Read chapter 3</li></ul>',
      },
    });
    const transcript = await createReadingProvider({ canvas }).fetch(
      pageReadingRef({ url: 'week-3' }),
      CONTEXT,
    );
    expect(transcript).toEqual({
      timed: false,
      cues: [
        { startMs: 0, endMs: 0, text: 'Membranes' },
        { startMs: 0, endMs: 0, text: 'The bilayer & its proteins.' },
        { startMs: 0, endMs: 0, text: 'Read chapter 3' },
      ],
    });
    expect(calls).toEqual([{ method: 'getPage', courseId: 7, id: 'week-3' }]);
  });

  it('fails an empty page, or one with only pictures, with a permanent reading.no_text', async () => {
    const { canvas } = inMemoryCanvas({
      pages: { empty: null, pictures: '<p><img src="a.png" alt="map"></p>' },
    });
    const provider = createReadingProvider({ canvas });
    for (const slug of ['empty', 'pictures']) {
      const error = await failure(provider.fetch(pageReadingRef({ url: slug }), CONTEXT));
      expect(error).toMatchObject({ code: 'reading.no_text', transient: false });
    }
  });

  it('reads a PDF with the file limit passed to the download, whatever the file was called', async () => {
    const pdf = buildTestPdf({ pages: [['Chapter one', ''], ['Cells are small.']] });
    const { canvas, calls } = inMemoryCanvas({
      files: { 5: { bytes: pdf, contentType: 'application/octet-stream' } },
    });
    const transcript = await createReadingProvider({ canvas, maxBytes: 1234 * 1024 }).fetch(
      fileRef(5),
      CONTEXT,
    );
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['Chapter one', 'Cells are small.']);
    expect(calls).toEqual([{ method: 'downloadFile', courseId: 7, id: '5', maxBytes: 1234 * 1024 }]);
  });

  it('asks for at most 50 MB by default', async () => {
    const { canvas, calls } = inMemoryCanvas({
      files: { 5: { bytes: bytes('Hello.'), contentType: 'text/plain' } },
    });
    await createReadingProvider({ canvas }).fetch(fileRef(5), CONTEXT);
    expect(calls[0]?.maxBytes).toBe(50 * 1024 * 1024);
  });

  it('says a PDF without a text layer looks scanned', async () => {
    const scan = buildTestPdf({ pages: [[]], withoutText: true });
    const { canvas } = inMemoryCanvas({ files: { 6: { bytes: scan, contentType: 'application/pdf' } } });
    const error = await failure(createReadingProvider({ canvas }).fetch(fileRef(6), CONTEXT));
    expect(error).toMatchObject({
      code: 'reading.no_text',
      transient: false,
      message: expect.stringMatching(/scanned/),
    });
  });

  it('fails a password-protected or damaged PDF with reading.unreadable, saying which', async () => {
    const { canvas } = inMemoryCanvas({
      files: {
        7: {
          bytes: buildTestPdf({ pages: [['Secret']], passwordProtected: true }),
          contentType: 'application/pdf',
        },
        8: { bytes: bytes('%PDF-1.7\nthis is not a PDF body'), contentType: 'application/pdf' },
        9: { bytes: bytes('just text, but labelled as a PDF'), contentType: 'application/pdf' },
      },
    });
    const provider = createReadingProvider({ canvas });
    expect(await failure(provider.fetch(fileRef(7), CONTEXT))).toMatchObject({
      code: 'reading.unreadable',
      transient: false,
      message: expect.stringMatching(/password/),
    });
    for (const id of [8, 9]) {
      expect(await failure(provider.fetch(fileRef(id), CONTEXT))).toMatchObject({
        code: 'reading.unreadable',
        message: expect.stringMatching(/damaged/),
      });
    }
  });

  it('reads text, Markdown and HTML by the type detection recorded, else by the download’s type', async () => {
    const { canvas } = inMemoryCanvas({
      files: {
        1: { bytes: bytes('# Notes\n\nThe **bilayer**.'), contentType: 'application/octet-stream' },
        2: {
          bytes: bytes('<h1>Notes</h1><script>x()</script><p>Body</p>'),
          contentType: 'text/html; charset=utf-8',
        },
        3: {
          bytes: new Uint8Array([0x43, 0x61, 0x66, 0xe9]),
          contentType: 'text/plain; charset=windows-1252',
        },
      },
    });
    const provider = createReadingProvider({ canvas });
    const texts = async (ref: MediaRef) => (await provider.fetch(ref, CONTEXT)).cues.map((cue) => cue.text);
    expect(await texts(fileRef(1, 'text/markdown'))).toEqual(['Notes', 'The bilayer.']);
    expect(await texts(fileRef(2))).toEqual(['Notes', 'Body']);
    expect(await texts(fileRef(3, 'text/plain'))).toEqual(['Café']);
  });

  it('fails a type it cannot read, and binary bytes labelled as text, with reading.unsupported_type', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00]);
    const { canvas } = inMemoryCanvas({
      files: {
        1: { bytes: zip, contentType: 'application/zip' },
        2: { bytes: zip, contentType: 'text/plain' },
      },
    });
    const provider = createReadingProvider({ canvas });
    for (const ref of [fileRef(1), fileRef(2, 'text/plain')]) {
      expect(await failure(provider.fetch(ref, CONTEXT))).toMatchObject({
        code: 'reading.unsupported_type',
        transient: false,
      });
    }
  });

  it('fails an empty text file with reading.no_text', async () => {
    const { canvas } = inMemoryCanvas({
      files: { 1: { bytes: bytes(' \n\n '), contentType: 'text/plain' } },
    });
    expect(await failure(createReadingProvider({ canvas }).fetch(fileRef(1), CONTEXT))).toMatchObject({
      code: 'reading.no_text',
    });
  });

  it('fails a file over the limit with transcript.too_large, whether Canvas or the bytes tell', async () => {
    const memory = inMemoryCanvas({
      files: { 1: { bytes: new Uint8Array(2048).fill(65), contentType: 'text/plain' } },
    });
    const provider = createReadingProvider({ canvas: memory.canvas, maxBytes: 1024 });
    expect(await failure(provider.fetch(fileRef(1), CONTEXT))).toMatchObject({
      code: 'transcript.too_large',
      transient: false,
    });
    const refused = createReadingProvider({
      canvas: {
        ...memory.canvas,
        downloadFile: () =>
          Promise.reject(
            transcriptErrors.tooLarge({ message: 'Canvas sent a body larger than 1024 bytes.' }),
          ),
      },
      maxBytes: 2 * 1024 * 1024,
    });
    expect(await failure(refused.fetch(fileRef(1), CONTEXT))).toMatchObject({
      code: 'transcript.too_large',
      message: expect.stringMatching(/2 MB limit/),
    });
  });

  it('passes Canvas errors through unchanged', async () => {
    const forbidden = createCanvasForbiddenError();
    const memory = inMemoryCanvas({});
    const provider = createReadingProvider({
      canvas: { getPage: () => Promise.reject(forbidden), downloadFile: memory.canvas.downloadFile },
    });
    expect(await failure(provider.fetch(pageReadingRef({ url: 'locked' }), CONTEXT))).toBe(forbidden);
    expect(await failure(provider.fetch(fileRef(404), CONTEXT))).toMatchObject({ code: 'canvas.not_found' });
  });

  it('fails a reference that is neither a page nor a file', async () => {
    const error = await failure(
      createReadingProvider({ canvas: inMemoryCanvas({}).canvas }).fetch(
        { ...fileRef(1), ref: 'upload:1' },
        CONTEXT,
      ),
    );
    expect(isAppError(error) && error.code).toBe('transcript.not_found');
  });

  it('rejects with the abort reason before asking Canvas and while Canvas is answering', async () => {
    const { canvas, calls } = inMemoryCanvas({ pages: { a: '<p>Text</p>' } });
    const provider = createReadingProvider({ canvas });
    const aborted = new AbortController();
    aborted.abort(new Error('stopped'));
    expect(
      await failure(provider.fetch(pageReadingRef({ url: 'a' }), { ...CONTEXT, signal: aborted.signal })),
    ).toBe(aborted.signal.reason);
    expect(calls).toEqual([]);
    const later = new AbortController();
    const pending = failure(
      provider.fetch(pageReadingRef({ url: 'slow' }), { ...CONTEXT, signal: later.signal }),
    );
    later.abort(new Error('shutting down'));
    expect(await pending).toBe(later.signal.reason);
  });
});
