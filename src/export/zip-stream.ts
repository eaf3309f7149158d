import { Readable } from 'node:stream';
import { strToU8, Zip, ZipDeflate } from 'fflate';

export interface ZipEntry {
  path: string;
  content: string;
  /** Stored as the entry's time (zip times are local wall-clock times, to the even second). */
  mtime: Date;
}

/**
 * A zip of `entries` as a stream, compressed one entry per read, so the archive is never whole
 * in memory and a slow client slows compression rather than filling buffers. The entries
 * themselves are in memory: a course's notes and transcripts are a few megabytes of text, and
 * having read every file before the first byte is sent means a failed read is still an error
 * answer, not a truncated download. Equal entries give equal bytes (fixed times, fixed level).
 */
export function zipStream(entries: readonly ZipEntry[]): Readable {
  let next = 0;
  let ended = false;
  const stream = new Readable({
    read() {
      const entry = entries[next];
      if (entry) {
        next += 1;
        const file = new ZipDeflate(entry.path, { level: 6 });
        file.mtime = entry.mtime;
        zip.add(file);
        file.push(strToU8(entry.content), true);
      } else if (!ended) {
        ended = true;
        zip.end();
      }
    },
  });
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      stream.destroy(error);
      return;
    }
    stream.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    if (final) stream.push(null);
  });
  return stream;
}
