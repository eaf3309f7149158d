import { describe, expect, it } from 'vitest';
import { createCookieJar } from './zoom.cookie-jar.ts';

describe('createCookieJar', () => {
  it("sends the latest value of each cookie to the recording's own host only", () => {
    const jar = createCookieJar('us02web.zoom.us');
    jar.store(['_zm_ssid=one', 'cred=abc']);
    jar.store(['_zm_ssid=two']);
    expect(jar.headerFor(new URL('https://US02WEB.zoom.us/rec/play/vtt'))).toEqual({
      cookie: '_zm_ssid=two; cred=abc',
    });
    expect(jar.headerFor(new URL('https://zoom.us/oauth/token'))).toBeUndefined();
    expect(jar.headerFor(new URL('https://ssrweb.zoom.us/x'))).toBeUndefined();
  });

  it('forgets a cookie the server clears and sends nothing when empty', () => {
    const jar = createCookieJar('a.zoom.us');
    jar.store(['x=1', 'broken', '=nameless']);
    jar.store(['x=']);
    expect(jar.headerFor(new URL('https://a.zoom.us/'))).toBeUndefined();
  });
});
