/**
 * Zoom's own errors. Messages name settings (environment variables) and places to write things,
 * never their values: no secret, token, passcode or cookie ever reaches a message.
 */

import { createErrorFactory } from '../../shared/errors.ts';

export const ZOOM_ENV = {
  accountId: 'ZOOM_ACCOUNT_ID',
  clientId: 'ZOOM_CLIENT_ID',
  clientSecret: 'ZOOM_CLIENT_SECRET',
  shareLinks: 'ZOOM_SHARE_LINKS',
} as const;

const CREDENTIALS = `${ZOOM_ENV.accountId}, ${ZOOM_ENV.clientId} and ${ZOOM_ENV.clientSecret}`;

export const zoomErrors = {
  credentialsRequired: createErrorFactory({
    code: 'zoom.credentials_required',
    statusCode: 422,
    message:
      `To fetch Zoom transcripts, set ${CREDENTIALS} (a Server-to-Server OAuth app) for recordings of ` +
      `your own Zoom account, or ${ZOOM_ENV.shareLinks}=true to read share links through Zoom's ` +
      'unofficial web-player endpoints, or upload the transcript (VTT) yourself.',
  }),
  credentialsRejected: createErrorFactory({
    code: 'zoom.credentials_rejected',
    statusCode: 422,
    message:
      `Zoom rejected the Server-to-Server OAuth credentials: check ${CREDENTIALS}, and that the app is ` +
      'activated in the Zoom App Marketplace.',
  }),
  recordingNotFound: createErrorFactory({
    code: 'zoom.recording_not_found',
    statusCode: 404,
    message:
      "This recording is not among this Zoom account's cloud recordings (Server-to-Server OAuth only " +
      `reads the app owner's own account): set ${ZOOM_ENV.shareLinks}=true to try its share link, or ` +
      'upload the transcript (VTT) instead.',
  }),
  noTranscript: createErrorFactory({
    code: 'zoom.no_transcript',
    statusCode: 422,
    message:
      'This Zoom recording has no transcript: its host must enable audio transcripts in Zoom, or you can ' +
      'upload the transcript (VTT) yourself.',
  }),
  /** Transient: Zoom writes the audio transcript some time after the recording. */
  transcriptProcessing: createErrorFactory({
    code: 'zoom.transcript_processing',
    statusCode: 503,
    message: 'Zoom is still processing the transcript of this recording; it will be fetched again later.',
    transient: true,
  }),
  passcodeRequired: createErrorFactory({
    code: 'zoom.passcode_required',
    statusCode: 422,
    message:
      'This Zoom recording needs a passcode: write "Passcode: …" beside the link on the Canvas page, ' +
      'or add ?pwd=<passcode> to the link.',
  }),
  passcodeRejected: createErrorFactory({
    code: 'zoom.passcode_rejected',
    statusCode: 422,
    message:
      'Zoom rejected the passcode written beside this recording link; correct it on the Canvas page ' +
      '(or in the link’s ?pwd=), or upload the transcript (VTT).',
  }),
  loginRequired: createErrorFactory({
    code: 'zoom.login_required',
    statusCode: 422,
    message:
      'This Zoom recording can only be viewed after signing in to Zoom (or solving a captcha), which ' +
      'canvas-notes cannot do: download its transcript (VTT) in the browser and upload it.',
  }),
} as const;
