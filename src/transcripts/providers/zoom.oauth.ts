/**
 * Server-to-Server OAuth access tokens (reference §C): `POST https://zoom.us/oauth/token` with
 * the client id and secret as Basic auth and `grant_type=account_credentials&account_id=…` (Zoom
 * accepts them in the query). There is no refresh token: a new token is requested when the
 * cached one is about to expire, or when Zoom refuses it earlier (tokens can be revoked).
 */

import type { ProviderHttp } from '../provider-http.ts';
import { transientStatusError } from '../provider-http.ts';
import { zoomErrors } from './zoom.errors.ts';
import { parseZoomJson, raceAbort, ZOOM_LABEL } from './zoom.http.ts';
import { tokenResponseSchema } from './zoom.schemas.ts';

export interface ZoomCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

export interface ZoomTokenSource {
  /** A token Zoom should accept: the cached one, or a new one. */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets `token` after Zoom refused it, so the next `get` asks for a new one. */
  invalidate(token: string): void;
}

export const ZOOM_TOKEN_URL = 'https://zoom.us/oauth/token';
const DEFAULT_EXPIRES_IN_S = 3600;
// Renew a minute early (a tenth of the lifetime for short-lived tokens), so a token never
// expires between our check and Zoom's.
const MAX_EARLY_RENEWAL_S = 60;

export function createZoomTokenSource(options: {
  http: ProviderHttp;
  credentials: ZoomCredentials;
  now: () => number;
}): ZoomTokenSource {
  const { http, credentials, now } = options;
  let cached: { token: string; renewAt: number } | null = null;
  let pending: Promise<string> | null = null;

  const request = async (): Promise<string> => {
    const url = new URL(ZOOM_TOKEN_URL);
    url.searchParams.set('grant_type', 'account_credentials');
    url.searchParams.set('account_id', credentials.accountId);
    const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
    const response = await http({
      url,
      method: 'POST',
      headers: { accept: 'application/json' },
      allowHost: (to) => to.host === url.host,
      credentials: (to) => (to.host === url.host ? { authorization: `Basic ${basic}` } : undefined),
      maxRedirects: 0,
    });
    if (response.status === 400 || response.status === 401) throw zoomErrors.credentialsRejected();
    const transient = transientStatusError(response, ZOOM_LABEL);
    if (transient) throw transient;
    if (response.status !== 200) {
      throw zoomErrors.credentialsRejected({
        message: `Zoom's token endpoint answered HTTP ${response.status}: check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.`,
      });
    }
    const body = parseZoomJson(response, tokenResponseSchema);
    const lifetime = body.expires_in ?? DEFAULT_EXPIRES_IN_S;
    const early = Math.min(MAX_EARLY_RENEWAL_S, lifetime / 10);
    cached = { token: body.access_token, renewAt: now() + (lifetime - early) * 1000 };
    return body.access_token;
  };

  return {
    get(signal) {
      signal?.throwIfAborted();
      if (cached && now() < cached.renewAt) return Promise.resolve(cached.token);
      // Concurrent fetches share one token request; it runs without any one caller's signal.
      pending ??= request().finally(() => {
        pending = null;
      });
      return raceAbort(pending, signal);
    },
    invalidate(token) {
      if (cached?.token === token) cached = null;
    },
  };
}
