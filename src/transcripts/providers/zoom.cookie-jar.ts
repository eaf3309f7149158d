/**
 * The cookies of one fetch's visit to Zoom's web player: a session cookie from the first answer,
 * and the one `validate-meeting-passwd` sets for a passcode-protected recording. They belong to
 * the recording's own host and are sent nowhere else; they live as long as the fetch.
 */
export interface CookieJar {
  /** Takes `name=value` pairs (`ProviderResponse.cookies`); a later value replaces an earlier one. */
  store(pairs: readonly string[]): void;
  /** The `Cookie` header for `url`, or undefined for other hosts or an empty jar. */
  headerFor(url: URL): Readonly<Record<string, string>> | undefined;
}

export function createCookieJar(host: string): CookieJar {
  const cookies = new Map<string, string>();
  const owner = host.toLowerCase();
  return {
    store(pairs) {
      for (const pair of pairs) {
        const at = pair.indexOf('=');
        if (at <= 0) continue;
        const name = pair.slice(0, at).trim();
        const value = pair.slice(at + 1).trim();
        // Servers delete a cookie by setting it empty (with a past expiry).
        if (value === '') cookies.delete(name);
        else cookies.set(name, value);
      }
    },
    headerFor(url) {
      if (url.host.toLowerCase() !== owner || cookies.size === 0) return undefined;
      return { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
    },
  };
}
