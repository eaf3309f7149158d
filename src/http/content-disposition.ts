/**
 * `Content-Disposition: attachment` for a file name (RFC 6266). `filename` carries an ASCII
 * stand-in: accents dropped, dashes and curly quotes made plain, anything else non-ASCII (and
 * `"`, `\`, `%`, which some clients misread there) replaced by `_`. A name that differs from
 * its stand-in also goes in `filename*` (RFC 8187: UTF-8, percent-encoded), which every
 * current browser prefers.
 */
export function attachment(fileName: string): string {
  const ascii = fileName
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const header = `attachment; filename="${ascii}"`;
  return ascii === fileName ? header : `${header}; filename*=UTF-8''${encodeExtValue(fileName)}`;
}

/** RFC 8187 `value-chars`: `encodeURIComponent` leaves `'()*` as they are, which are not. */
const encodeExtValue = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
