import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_NAME_BYTES, safeName } from './file-names.ts';

/** Titles made of what path traversals and reserved names are made of, and arbitrary text. */
const hostileTitle = fc.oneof(
  fc
    .array(
      fc.constantFrom('..', '.', '/', '\\', ' ', '\u0000', '\u202e', 'C:', 'CON', 'nul', 'a', '~', '%2e'),
      {
        maxLength: 12,
      },
    )
    .map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
);

describe('safeName on any Canvas title', () => {
  it('gives one plain path segment: no separator, no dot segment, not hidden, no controls, bounded', () => {
    fc.assert(
      fc.property(hostileTitle, (title) => {
        const name = safeName(title, 'Untitled');
        expect(name).not.toMatch(/[/\\]/);
        expect(name).not.toMatch(/^\./);
        expect(name).not.toMatch(/[\p{Cc}]/u);
        expect(name.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_NAME_BYTES);
      }),
      { numRuns: 500 },
    );
  });
});
