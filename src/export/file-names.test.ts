import { describe, expect, it } from 'vitest';
import {
  collisionKey,
  MAX_NAME_BYTES,
  MAX_NAME_CHARS,
  positionPrefix,
  safeName,
  tagName,
} from './file-names.ts';

const graphemeCount = (text: string) =>
  [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)].length;

describe('safe file names from Canvas titles', () => {
  it('keeps letters of every script, digits and ordinary punctuation', () => {
    expect(safeName('Übung 3 – Zellbiologie (Teil 1)', 'x')).toBe('Übung 3 – Zellbiologie (Teil 1)');
    expect(safeName('第1回 細胞膜の構造', 'x')).toBe('第1回 細胞膜の構造');
    expect(safeName('Εισαγωγή, 50% & more!', 'x')).toBe('Εισαγωγή, 50% & more!');
  });

  it('replaces what Windows refuses or an Obsidian link cannot hold', () => {
    expect(safeName('a/b\\c:d*e?f"g<h>i|j', 'x')).toBe('a-b-c d e f g h i-j');
    expect(safeName('C# [draft] ^1', 'x')).toBe('C draft 1');
    expect(safeName('Week 1: Intro', 'x')).toBe('Week 1 Intro');
  });

  it('drops trailing dots and spaces, leading dots, controls and bidi overrides', () => {
    expect(safeName('Notes...  ', 'x')).toBe('Notes');
    expect(safeName('..hidden', 'x')).toBe('hidden');
    expect(safeName('line\none\ttwo\u0000', 'x')).toBe('line one two');
    expect(safeName('evil\u202Etxt.exe', 'x')).toBe('evil txt.exe');
  });

  it('never gives a Windows device name', () => {
    expect(safeName('CON', 'x')).toBe('CON_');
    expect(safeName('nul.txt', 'x')).toBe('nul_.txt');
    expect(safeName('com1', 'x')).toBe('com1_');
    expect(safeName('LPT¹', 'x')).toBe('LPT¹_');
    expect(safeName('Console', 'x')).toBe('Console');
  });

  it('falls back when nothing usable is left', () => {
    expect(safeName('???', 'Item 7')).toBe('Item 7');
    expect(safeName('   ', 'Item 7')).toBe('Item 7');
  });

  it('caps the length at a character boundary, in characters and in bytes', () => {
    expect(safeName('x'.repeat(100), 'x')).toBe('x'.repeat(MAX_NAME_CHARS));
    // A cut that lands after a space leaves no trailing space.
    expect(safeName(`${'a'.repeat(MAX_NAME_CHARS - 1)} b`, 'x')).toBe('a'.repeat(MAX_NAME_CHARS - 1));
    const family = '👨‍👩‍👧';
    const capped = safeName(family.repeat(40), 'x');
    expect(Buffer.byteLength(capped)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(capped).toBe(family.repeat(Math.floor(MAX_NAME_BYTES / Buffer.byteLength(family))));
    const devanagari = safeName('क्षत्रिय '.repeat(30), 'x');
    expect(graphemeCount(devanagari)).toBeLessThanOrEqual(MAX_NAME_CHARS);
    expect(Buffer.byteLength(devanagari)).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect('क्षत्रिय '.repeat(30).startsWith(devanagari)).toBe(true);
  });

  it('writes accents composed, and compares names as a case-insensitive disk does', () => {
    expect(safeName('Cafe\u0301', 'x')).toBe('Café');
    expect(collisionKey('Intro')).toBe(collisionKey('INTRO'));
    expect(collisionKey('Cafe\u0301')).toBe(collisionKey('CAFÉ'));
    expect(collisionKey('Intro 1')).not.toBe(collisionKey('Intro 2'));
  });

  it('pads positions so names sort in Canvas order', () => {
    expect(positionPrefix(3, 9)).toBe('03');
    expect(positionPrefix(12, 12)).toBe('12');
    expect(positionPrefix(3, 120)).toBe('003');
  });
});

describe('Obsidian tags', () => {
  it('are lower case without spaces, keeping letters, digits, _ and /', () => {
    expect(tagName('BIO 101')).toBe('bio-101');
    expect(tagName('ECON110')).toBe('econ110');
    expect(tagName('canvas_media')).toBe('canvas_media');
    expect(tagName('Übung/Teil A')).toBe('übung/teil-a');
    expect(tagName(' -- CS: 50 (Fall) -- ')).toBe('cs-50-fall');
  });

  it('are never only digits, and empty when nothing is left', () => {
    expect(tagName('101')).toBe('course-101');
    expect(tagName('  ')).toBe('');
    expect(tagName('***')).toBe('');
  });
});
