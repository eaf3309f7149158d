import { describe, expect, it } from 'vitest';
import { parseZoomRecordingLink, passcodesIn, recordingKey } from './zoom.links.ts';

const TOKEN = 'q7Vb3nYtK1xWm9Lp2Rz8sD4fH6jE0cUa.Nw5XoP';

describe('parseZoomRecordingLink', () => {
  it('reads share and play links on any Zoom subdomain and on zoomgov.com', () => {
    expect(parseZoomRecordingLink(`https://us02web.zoom.us/rec/share/${TOKEN}`)).toMatchObject({
      kind: 'share',
      token: TOKEN,
      origin: 'https://us02web.zoom.us',
      ref: `https://us02web.zoom.us/rec/share/${TOKEN}`,
    });
    expect(parseZoomRecordingLink('https://school.zoom.us/rec/play/Yb7-x_1.A')).toMatchObject({
      kind: 'play',
    });
    expect(parseZoomRecordingLink('https://zoom.us/recording/share/abc')).toMatchObject({ kind: 'share' });
    expect(parseZoomRecordingLink('https://agency.zoomgov.com/rec/share/abc')?.origin).toBe(
      'https://agency.zoomgov.com',
    );
  });

  it('drops the query and hash from the ref, and only pwd from the url', () => {
    const link = parseZoomRecordingLink(
      `https://us02web.zoom.us/rec/share/${TOKEN}?startTime=1694358012000&pwd=8%23xY2!#t`,
    );
    expect(link?.ref).toBe(`https://us02web.zoom.us/rec/share/${TOKEN}`);
    expect(link?.url).toBe(`https://us02web.zoom.us/rec/share/${TOKEN}?startTime=1694358012000#t`);
    expect(link?.passcode).toBe('8#xY2!');
  });

  it('does not take meeting join links, look-alike hosts or other Zoom pages for recordings', () => {
    for (const url of [
      'https://us02web.zoom.us/j/84598792483?pwd=abc',
      'https://zoom.us.evil.example/rec/share/abc',
      'https://notzoom.us/rec/share/abc',
      'https://us02web.zoom.us/rec/component-page?meetingId=x',
      'ftp://zoom.us/rec/share/abc',
      'not a url',
    ]) {
      expect(parseZoomRecordingLink(url)).toBeNull();
    }
  });

  it('keys a recording by kind and token, whatever host the link names', () => {
    expect(recordingKey(`https://school.zoom.us/rec/share/${TOKEN}?pwd=x`)).toBe(
      recordingKey(`https://us02web.zoom.us/rec/share/${TOKEN}`),
    );
    expect(recordingKey(`https://school.zoom.us/rec/play/${TOKEN}`)).not.toBe(
      recordingKey(`https://school.zoom.us/rec/share/${TOKEN}`),
    );
    expect(recordingKey(undefined)).toBeNull();
  });
});

describe('passcodesIn', () => {
  it.each([
    ['Lecture 3 recording. Passcode: 8#xY2!', '8#xY2!'],
    ['Password: abc123.', 'abc123'],
    ['Access passcode: “Q7^a&b”', 'Q7^a&b'],
    ['Use passcode: "Q7^a". Thanks', 'Q7^a'],
    ['(Passcode: x1=9)', 'x1=9'],
    ['The passcode is 4S.k?z, see you Monday', '4S.k?z'],
    ['Kenncode: Zz$9', 'Zz$9'],
    ['Passcode for all lectures: 7!7', '7!7'],
    ['Password (case sensitive): Ab#1', 'Ab#1'],
  ])('reads %j as %j', (text, passcode) => {
    expect(passcodesIn(text).map((found) => found.passcode)).toEqual([passcode]);
  });

  it('finds nothing in text without a passcode label', () => {
    expect(passcodesIn('Password protected recording of week 3')).toEqual([]);
    expect(passcodesIn('Recording: https://zoom.us/rec/share/abc?pwd=xyz')).toEqual([]);
  });

  it('finds every passcode in order', () => {
    expect(passcodesIn('Mon: Passcode: a1 Wed: Passcode: b2.').map((found) => found.passcode)).toEqual([
      'a1',
      'b2',
    ]);
  });
});
