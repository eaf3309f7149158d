import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCanvasClient } from '../../src/canvas/canvas.client.ts';
import { createReadingProvider, pageReadingRef } from '../../src/transcripts/providers/reading.provider.ts';
import { runProviderContract } from '../../src/transcripts/providers.contract.ts';
import { buildTestPdf, inMemoryCanvas } from '../../src/transcripts/reading.test-utils.ts';
import type { DetectInput, MediaRef, TranscriptProvider } from '../../src/transcripts/transcript-provider.ts';
import { type FakeCanvasFiles, startFakeCanvasFiles } from '../fakes/fake-canvas-files.ts';

const COURSE = 1;

/** Two pages of lecture notes with a running header, page numbers and a word split at a line end. */
const NOTES_PDF = buildTestPdf({
  pages: [
    [
      'BIOL 201 - Cell Biology - Week 3',
      'The plasma membrane is a lipid bilayer that separates the inside',
      'of the cell from its surroundings. Its two leaflets differ in com-',
      'position, which gives each face of the membrane its own chemistry.',
      '1',
    ],
    ['BIOL 201 - Cell Biology - Week 3', 'Proteins float in this sea of lipids.', '2'],
  ],
});
const NOTES_TEXT = [
  'The plasma membrane is a lipid bilayer that separates the inside of the cell from its surroundings. ' +
    'Its two leaflets differ in composition, which gives each face of the membrane its own chemistry. ' +
    'Proteins float in this sea of lipids.',
];

const pdfInput: DetectInput = {
  kind: 'file',
  file: {
    id: 501,
    displayName: 'Week 3 notes.pdf',
    contentType: 'application/pdf',
    size: 4096,
    mediaEntryId: null,
  },
};
const detected = (provider: TranscriptProvider, input: DetectInput): MediaRef => {
  const [ref] = provider.detect(input);
  if (!ref) throw new Error('expected the reading provider to detect the file');
  return ref;
};

describe('over an in-memory Canvas client', () => {
  runProviderContract('reading', () => {
    const { canvas } = inMemoryCanvas({
      pages: { empty: '<p>&nbsp;</p>' },
      files: { 501: { bytes: NOTES_PDF, contentType: 'application/pdf' } },
    });
    const provider = createReadingProvider({ canvas });
    return {
      provider,
      detectInput: pdfInput,
      goodRef: detected(provider, pdfInput),
      permanentFailureRef: pageReadingRef({ url: 'empty', title: 'Empty' }),
      slowRef: pageReadingRef({ url: 'slow', title: 'Slow' }),
    };
  });
});

describe('over HTTP to a fake Canvas and its file storage', () => {
  let fake: FakeCanvasFiles;
  let provider: TranscriptProvider;
  const client = (maxBytes?: number) =>
    createReadingProvider({
      canvas: createCanvasClient({
        baseUrl: fake.baseUrl,
        token: fake.token,
        fetch: fake.fetch,
        maxRetries: 0,
      }),
      ...(maxBytes ? { maxBytes } : {}),
    });

  beforeAll(async () => {
    fake = await startFakeCanvasFiles();
    fake.pages.set('week-3-reading', {
      title: 'Week 3 reading',
      body:
        '<h2>Before the lecture</h2><p>Read <a href="https://canvas.example.edu/courses/1/files/501/download">' +
        'the notes</a> &amp; answer:</p><ol><li>What is a bilayer?</li><li>Why two leaflets?</li></ol>' +
        '<script>var x = 1;</script>',
    });
    fake.pages.set('empty', { title: 'Empty', body: '<p></p>' });
    fake.pages.set('slow', { title: 'Slow', body: '<p>Eventually.</p>', delayMs: 10_000 });
    fake.files.set(501, {
      displayName: 'Week 3 notes.pdf',
      contentType: 'application/pdf',
      bytes: NOTES_PDF,
    });
    fake.files.set(502, {
      displayName: 'glossary.md',
      contentType: 'application/octet-stream',
      bytes: new TextEncoder().encode('# Glossary\n\n- **ATP**: [energy](https://x.test) carrier\n'),
    });
    fake.files.set(503, {
      displayName: 'scan.pdf',
      contentType: 'application/pdf',
      bytes: buildTestPdf({ pages: [[], []], withoutText: true }),
    });
    fake.files.set(504, {
      displayName: 'big.txt',
      contentType: 'text/plain',
      bytes: new TextEncoder().encode('word '.repeat(1000)),
    });
    provider = client();
  });
  afterAll(() => fake.close());

  runProviderContract('reading', () => {
    const reading = client();
    return {
      provider: reading,
      detectInput: pdfInput,
      goodRef: detected(reading, pdfInput),
      permanentFailureRef: pageReadingRef({ url: 'empty' }),
      slowRef: pageReadingRef({ url: 'slow' }),
    };
  });

  it('downloads a PDF through Canvas’s redirect to storage and reads its paragraphs', async () => {
    fake.requests.length = 0;
    const transcript = await provider.fetch(detected(provider, pdfInput), { courseId: COURSE });
    expect(transcript).toEqual({
      timed: false,
      cues: NOTES_TEXT.map((text) => ({ startMs: 0, endMs: 0, text })),
    });
    expect(fake.requests).toEqual([
      { host: 'canvas.example.edu', path: `/api/v1/courses/${COURSE}/files/501`, authorized: true },
      { host: 'canvas.example.edu', path: '/files/501/download', authorized: true },
      // The signed storage URL carries its own token: the Canvas token stays with Canvas.
      {
        host: 'inst-fs-iad-prod.inscloudgate.net',
        path: expect.stringMatching(/^\/files\/[^/]+\/Week%203%20notes\.pdf$/),
        authorized: false,
      },
    ]);
  });

  it('reads a page body with its headings and numbered steps', async () => {
    const transcript = await provider.fetch(pageReadingRef({ url: 'week-3-reading' }), { courseId: COURSE });
    expect(transcript.cues.map((cue) => cue.text)).toEqual([
      'Before the lecture',
      'Read the notes & answer:',
      '1. What is a bilayer?',
      '2. Why two leaflets?',
    ]);
  });

  it('reads a Markdown file that storage labels as octet-stream, by its name', async () => {
    const ref = detected(provider, {
      kind: 'file',
      file: {
        id: 502,
        displayName: 'glossary.md',
        contentType: 'application/octet-stream',
        size: 60,
        mediaEntryId: null,
      },
    });
    const transcript = await provider.fetch(ref, { courseId: COURSE });
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['Glossary', 'ATP: energy carrier']);
  });

  it('fails a scanned PDF with reading.no_text', async () => {
    const error = await provider.fetch(fileRef(503), { courseId: COURSE }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({
      code: 'reading.no_text',
      transient: false,
      message: expect.stringMatching(/scanned/),
    });
  });

  it('stops a download larger than the limit with transcript.too_large', async () => {
    const error = await client(1024)
      .fetch(fileRef(504), { courseId: COURSE })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'transcript.too_large', transient: false });
  });

  it('passes Canvas’s 404 for a missing page or file through as canvas.not_found', async () => {
    for (const ref of [pageReadingRef({ url: 'gone' }), fileRef(999)]) {
      const error = await provider.fetch(ref, { courseId: COURSE }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ code: 'canvas.not_found', transient: false });
    }
  });

  it('passes a rejected token through as canvas.unauthorized', async () => {
    const wrongToken = createReadingProvider({
      canvas: createCanvasClient({ baseUrl: fake.baseUrl, token: 'wrong', fetch: fake.fetch, maxRetries: 0 }),
    });
    const error = await wrongToken
      .fetch(pageReadingRef({ url: 'empty' }), { courseId: COURSE })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'canvas.unauthorized' });
  });
});

function fileRef(fileId: number): MediaRef {
  return {
    provider: 'reading',
    ref: `file:${fileId}`,
    url: null,
    foundIn: 'file',
    details: { file_id: String(fileId) },
  };
}
