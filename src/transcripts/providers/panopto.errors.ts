/**
 * Panopto's own errors. Generic transport failures (404, 5xx, refused hosts) are
 * `transcriptErrors`. No message here may carry the PANOPTO_COOKIE value: they name the setting.
 */

import { createErrorFactory } from '../../shared/errors.ts';

const COPY_COOKIE =
  'log in to Panopto in a browser, copy the value of its .ASPXAUTH cookie (developer tools → Storage or ' +
  'Application → Cookies) and set PANOPTO_COOKIE to it';

export const panoptoErrors = {
  /** Not transient: only a new cookie (or a public session) changes the answer. */
  loginRequired: createErrorFactory({
    code: 'panopto.login_required',
    statusCode: 422,
    message: `This Panopto session is not public: to fetch its captions, ${COPY_COOKIE}.`,
  }),
  /**
   * Permanent for this attempt; the item stays fetchable, because Panopto adds automatic captions
   * hours after a recording (reference §I) and the core retries on a later sync or bulk action.
   */
  noCaptions: createErrorFactory({
    code: 'panopto.no_captions',
    statusCode: 422,
    message:
      'Panopto has no captions for this session yet; Panopto often adds automatic captions some hours after ' +
      'a recording, so a later sync or bulk fetch will try again.',
  }),
  /** A stored ref that is not a delivery GUID; detect never makes one. */
  noSessionId: createErrorFactory({
    code: 'panopto.no_session_id',
    statusCode: 422,
    message: 'This Panopto link does not name a recording (no session id in it).',
  }),
} as const;

export const COURSE_LAUNCH_MESSAGE =
  'This is the course-wide Panopto link, the same for every recording, so it does not say which lecture to ' +
  "fetch: link the recording's Panopto Viewer or Embed URL instead, or embed the recording in a Page.";

/** The login message when PANOPTO_COOKIE was sent and Panopto still asked for a login. */
export const COOKIE_REJECTED_MESSAGE =
  'Panopto rejected PANOPTO_COOKIE for this session (it has expired, or that account may not view this ' +
  `recording): ${COPY_COOKIE}.`;
