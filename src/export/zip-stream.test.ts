import type { Readable } from 'node:stream';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { zipStream } from './zip-stream.ts';

const collect = async (stream: Readable) => {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

/** The DOS date and time of the first local file header (zip spec 4.3.7). */
const firstEntryTime = (zip: Buffer) => {
  const time = zip.readUInt16LE(10);
  const date = zip.readUInt16LE(12);
  return new Date(
    (date >> 9) + 1980,
    ((date >> 5) & 15) - 1,
    date & 31,
    time >> 11,
    (time >> 5) & 63,
    (time & 31) * 2,
  );
};

const ENTRIES = [
  { path: 'Kurs/README.md', content: '# Kurs\n', mtime: new Date(2026, 8, 14, 9, 30, 0) },
  {
    path: 'Kurs/01 Übung – Zellen/02 Vorlesung 1.md',
    content: 'Zellmembran '.repeat(500),
    mtime: new Date(2026, 8, 13),
  },
];

describe('a zip streamed from entries', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds every entry under its Unicode name', async () => {
    const files = unzipSync(await collect(zipStream(ENTRIES)));
    expect(Object.keys(files)).toEqual(ENTRIES.map((entry) => entry.path));
    for (const entry of ENTRIES) expect(strFromU8(files[entry.path] as Uint8Array)).toBe(entry.content);
  });

  it('stamps entries with their own time, so equal entries give equal bytes at any hour', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = await collect(zipStream(ENTRIES));
    vi.setSystemTime(new Date('2031-06-15T13:37:00Z'));
    const second = await collect(zipStream(ENTRIES));
    expect(second.equals(first)).toBe(true);
    expect(firstEntryTime(first)).toEqual(ENTRIES[0]?.mtime);
  });

  it('gives a valid empty archive for no entries', async () => {
    expect(unzipSync(await collect(zipStream([])))).toEqual({});
  });
});
