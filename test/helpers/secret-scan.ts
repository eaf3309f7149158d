import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const base64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * What to look for: each secret bare, its last 12 characters (so a truncated copy shows too) and
 * its base64, plus `basic` pairs (`client_id:client_secret`) in base64 and base64url as sent in a
 * Basic Authorization header.
 */
export function secretNeedles(
  secrets: Readonly<Record<string, string>>,
  basic: ReadonlyArray<[id: string, secret: string]> = [],
): Array<[string, string]> {
  return [
    ...Object.entries(secrets).flatMap(
      ([name, value]): Array<[string, string]> => [
        [name, value],
        [`${name} (tail)`, value.slice(-12)],
        [`${name} (base64)`, base64(value)],
      ],
    ),
    ...basic.flatMap(
      ([id, secret]): Array<[string, string]> => [
        [`${id} Basic credentials`, base64(`${id}:${secret}`)],
        [`${id} Basic credentials (base64url)`, Buffer.from(`${id}:${secret}`).toString('base64url')],
      ],
    ),
  ];
}

/** Fails naming the first needle found in `texts`, with the text around it. */
export function expectNoSecrets(
  needles: ReadonlyArray<[string, string]>,
  where: string,
  texts: readonly string[],
) {
  const all = texts.join('\n');
  for (const [name, needle] of needles) {
    const at = all.indexOf(needle);
    expect(at, `${name} in ${where}: …${all.slice(Math.max(0, at - 200), at + 100)}…`).toBe(-1);
  }
}

/** Every file under `dir`, as text (binary files as latin1, which keeps ASCII secrets intact). */
export function filesUnder(dir: string): Array<[string, string]> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [[path, readFileSync(path, 'latin1')]];
  });
}

/**
 * Answers a failing request the way a careless or hostile server does: quoting everything it
 * was sent, in every field the app's error parsers read.
 */
export function echoingResponse(url: string, headers: Headers, status: number): Response {
  const authorization = headers.get('authorization') ?? '';
  const basic = /^Basic (.+)$/.exec(authorization)?.[1];
  const quoted = `${url} authorization=${authorization} cookie=${headers.get('cookie') ?? ''} basic=${
    basic ? Buffer.from(basic, 'base64').toString('utf8') : ''
  }`;
  const body = {
    error: { message: `Rejected: ${quoted}`, type: 'invalid_request_error', code: 'echo' },
    errors: [{ message: `Rejected: ${quoted}` }],
    message: `Rejected: ${quoted}`,
    reason: `Invalid client_secret: ${quoted}`,
    ErrorCode: 1,
    ErrorMessage: `Rejected: ${quoted}`,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer realm="${quoted}"` },
  });
}

/** Reads `GET /events` in the background for the whole run. */
export async function readEventStream(base: string, authorization: string) {
  const controller = new AbortController();
  const response = await fetch(`${base}/events`, {
    signal: controller.signal,
    headers: { authorization },
  });
  const state = {
    text: `${response.status} ${JSON.stringify([...response.headers])}\n`,
    stop: () => controller.abort(),
  };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined);
      if (!chunk || chunk.done) return;
      state.text += decoder.decode(chunk.value, { stream: true });
    }
  })();
  return state;
}
