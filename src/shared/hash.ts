import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string: the content hash recorded on transcripts and summaries. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
