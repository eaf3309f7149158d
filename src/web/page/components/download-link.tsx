import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, errorInfo } from '../api.ts';
import { apiKey } from '../api-key.ts';
import type { ErrorInfo } from '../api-types.ts';
import { ErrorNote } from './status.tsx';

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` first), if it has one. */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended.trim());
    } catch {
      // Malformed: fall back to the plain name.
    }
  }
  return (
    /filename\s*=\s*"([^"]*)"/i.exec(disposition)?.[1] ??
    /filename\s*=\s*([^;\s]+)/i.exec(disposition)?.[1] ??
    null
  );
}

/** Fetches `href` with the key and saves the answer through an object URL (never a URL with the key). */
async function downloadWithKey(href: string): Promise<void> {
  const sent = apiKey.state.key;
  const response = await fetch(href, { headers: apiKey.headers() });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      error?: { code: string; message: string };
    } | null;
    if (response.status === 401) apiKey.refused(sent);
    throw new ApiError(
      response.status,
      body?.error?.code ?? `http.${response.status}`,
      body?.error?.message ?? `The server answered ${response.status}.`,
    );
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download =
    fileNameOf(response.headers.get('content-disposition')) ?? href.split('/').pop() ?? 'download';
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download at once; the memory is given back after it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A download of an export endpoint: a plain link the browser saves, or, while the tab holds an
 * API key (which a link cannot send), a fetch saved from memory.
 */
export function DownloadLink({ href, children }: { href: string; children: ComponentChildren }) {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [pending, setPending] = useState(false);
  const click = async (event: MouseEvent) => {
    if (!apiKey.state.key) return;
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setError(null);
    try {
      await downloadWithKey(href);
    } catch (thrown) {
      setError(errorInfo(thrown));
    } finally {
      setPending(false);
    }
  };
  return (
    <>
      <a class="button-link" href={href} download onClick={click} aria-busy={pending || undefined}>
        {children}
      </a>
      <ErrorNote error={error} compact />
    </>
  );
}
