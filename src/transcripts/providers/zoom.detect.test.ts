import { describe, expect, it } from 'vitest';
import { parsePageDocument } from '../page-html.ts';
import { detectZoomRecordings } from './zoom.detect.ts';

const A = 'https://us02web.zoom.us/rec/share/AAA111.aaa';
const B = 'https://us02web.zoom.us/rec/share/BBB222.bbb';

const page = (html: string) => detectZoomRecordings({ kind: 'page', page: parsePageDocument(html) });
const passcodes = (html: string) => page(html).map((ref) => [ref.ref, ref.details.passcode]);

describe('detectZoomRecordings', () => {
  it('reads an item URL, with the passcode from ?pwd= and without it in the shown url', () => {
    const [ref] = detectZoomRecordings({
      kind: 'url',
      url: `${A}?pwd=8%23xY2!&startTime=1`,
      title: 'Week 1',
    });
    expect(ref).toEqual({
      provider: 'zoom',
      ref: A,
      url: `${A}?startTime=1`,
      foundIn: 'item_url',
      details: { passcode: '8#xY2!' },
      title: 'Week 1',
    });
  });

  it("takes an item's passcode from its title", () => {
    const [ref] = detectZoomRecordings({ kind: 'url', url: A, title: 'Lecture 3 (Passcode: 8#xY2!)' });
    expect(ref?.details).toEqual({ passcode: '8#xY2!' });
  });

  it('finds no recording in join links, other hosts or files', () => {
    expect(detectZoomRecordings({ kind: 'url', url: 'https://us02web.zoom.us/j/84598792483' })).toEqual([]);
    expect(page('<p><a href="https://us02web.zoom.us/j/1?pwd=x">Join</a> Passcode: 123</p>')).toEqual([]);
    expect(
      detectZoomRecordings({
        kind: 'file',
        file: { id: 1, displayName: 'a.mp4', contentType: 'video/mp4', size: 1, mediaEntryId: null },
      }),
    ).toEqual([]);
  });

  it('reads the passcode written beside the link in the same block', () => {
    expect(passcodes(`<p><a href="${A}">Lecture 3</a> Passcode: 8#xY2!</p>`)).toEqual([[A, '8#xY2!']]);
    expect(passcodes(`<p>Access passcode: k9&amp;Lm. <strong><a href="${A}">Watch</a></strong></p>`)).toEqual(
      [[A, 'k9&Lm']],
    );
  });

  it('reads the passcode from the block right after the link, such as the next paragraph or table cell', () => {
    expect(passcodes(`<p><a href="${A}">Lecture 3</a></p><p>Password: Zq.4!</p>`)).toEqual([[A, 'Zq.4!']]);
    expect(passcodes(`<table><tr><td><a href="${A}">L3</a></td><td>Passcode: t0p</td></tr></table>`)).toEqual(
      [[A, 't0p']],
    );
  });

  it("does not borrow the next block's passcode when that block has a recording of its own", () => {
    expect(passcodes(`<p><a href="${A}">L1</a></p><p><a href="${B}">L2</a> Passcode: bb</p>`)).toEqual([
      [A, undefined],
      [B, 'bb'],
    ]);
  });

  it('gives each of several links in one block the passcode written after it', () => {
    expect(
      passcodes(`<p><a href="${A}">Monday</a> Passcode: aa1 <a href="${B}">Wednesday</a> Passcode: bb2</p>`),
    ).toEqual([
      [A, 'aa1'],
      [B, 'bb2'],
    ]);
    expect(
      passcodes(`<p><a href="${A}">Monday</a>, <a href="${B}">Wednesday</a>. Passcode for both: cc3</p>`),
    ).toEqual([
      [A, 'cc3'],
      [B, 'cc3'],
    ]);
  });

  it('returns one ref per recording, keeping a passcode any of its links carries', () => {
    const refs = page(`<p><a href="${A}?startTime=1">Part 1</a></p><p><a href="${A}?pwd=z9">Part 2</a></p>`);
    expect(refs).toHaveLength(1);
    expect(refs[0]).toMatchObject({
      ref: A,
      foundIn: 'page_body',
      details: { passcode: 'z9' },
      title: 'Part 1',
    });
  });
});
