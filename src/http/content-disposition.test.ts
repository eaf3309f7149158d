import { describe, expect, it } from 'vitest';
import { attachment } from './content-disposition.ts';

const extValue = (header: string) => /filename\*=UTF-8''(.*)$/.exec(header)?.[1];

describe('Content-Disposition for a download', () => {
  it('names a plain ASCII file once, quoted', () => {
    expect(attachment('BIO 101 Cells.md')).toBe('attachment; filename="BIO 101 Cells.md"');
  });

  it('adds a UTF-8 filename* for a name beyond ASCII, with an ASCII stand-in first', () => {
    const header = attachment('Übung – Zellen “1”.md');
    expect(header).toMatch(/^attachment; filename="Ubung - Zellen _1_\.md"; filename\*=UTF-8''/);
    expect(decodeURIComponent(extValue(header) ?? '')).toBe('Übung – Zellen “1”.md');
    // Only RFC 8187 attr-chars are left unencoded.
    expect(extValue(attachment("日本 (1)*'s.zip"))).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
  });

  it('never lets a quote, backslash or percent sign break or mislead the quoted name', () => {
    const header = attachment('a"b\\c%41.md');
    expect(header.startsWith('attachment; filename="a_b_c_41.md"; ')).toBe(true);
    expect(decodeURIComponent(extValue(header) ?? '')).toBe('a"b\\c%41.md');
    // Header values must be Latin-1 for Node to send them; ours are ASCII.
    expect(attachment('😀 notes.md')).toMatch(/^[\x20-\x7e]+$/);
  });
});
