/**
 * What to do about an error, by its stable code (`src/**\/*.errors.ts` and the README's
 * "How it behaves"). The server's message says what happened; a hint says what the student
 * can do next from here. Codes without a hint of their own fall back to their area's.
 */

const UPLOAD = 'Or upload the transcript yourself from the item’s page.';
const RESTART = 'Restart canvas-notes after changing .env.';

const HINTS: Record<string, string> = {
  'panopto.login_required': `Set PANOPTO_COOKIE in .env to the .ASPXAUTH cookie of a browser logged in to Panopto. ${RESTART} ${UPLOAD}`,
  'panopto.no_captions': `Panopto adds automatic captions some hours after a recording; try again later. ${UPLOAD}`,
  'panopto.no_session_id': `This link opens Panopto’s course folder, not one recording. ${UPLOAD}`,
  'zoom.credentials_required': `Set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET, or ZOOM_SHARE_LINKS=true, in .env. ${RESTART} ${UPLOAD}`,
  'zoom.credentials_rejected': `Check the Zoom app’s ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET in .env. ${RESTART}`,
  'zoom.passcode_required': `The recording needs its passcode written beside the link in Canvas. ${UPLOAD}`,
  'zoom.passcode_rejected': `The passcode beside the link in Canvas is not this recording’s. ${UPLOAD}`,
  'zoom.transcript_processing': 'Zoom is still making the transcript; fetch it again later.',
  'zoom.no_transcript': `Zoom made no transcript of this recording. ${UPLOAD}`,
  'canvas_media.no_captions': `The recording has no captions in Canvas. ${UPLOAD}`,
  'youtube.no_captions': `The video has no captions YouTube would give. ${UPLOAD}`,
  'reading.no_text': 'The page or file holds no text to take notes from (a scan, an image?).',
  'transcript.no_source': `The item links to no recording or reading canvas-notes can read. ${UPLOAD}`,
  'transcript.file_missing': 'Its file was deleted from the data folder: fetch the transcript again.',
  'summary.file_missing': 'Its file was deleted from the data folder: summarize again.',
  'transcript.provider_unavailable':
    'The recording’s host did not answer; it is tried again by itself, or later.',
  'transcript.upload_empty': 'Choose a WebVTT (.vtt), SRT (.srt) or plain-text file that holds the words.',
  'transcript.upload_unparseable':
    'Choose a WebVTT (.vtt), SRT (.srt) or plain-text file that holds the words.',
  'transcript.upload_unsupported_type': 'Choose a WebVTT (.vtt), SRT (.srt) or plain-text file.',
  'item.job_running': 'Wait for the running job to finish, or cancel it, then try again.',
  'item.not_found': 'Canvas no longer lists it, or its course was never synced: sync the course again.',
  'llm.unauthorized': `Check OPENAI_API_KEY in .env. ${RESTART}`,
  'llm.unreachable': `Start the model server, or check OPENAI_BASE_URL in .env. ${RESTART}`,
  'llm.model_not_found': `Set OPENAI_MODEL in .env to a model the server has. ${RESTART}`,
  'llm.context_exceeded': `Set LLM_CONTEXT_TOKENS to the model server’s context length. ${RESTART}`,
  'llm.reply_truncated': `Raise LLM_CONTEXT_TOKENS (and the server’s context length) in .env. ${RESTART}`,
  'llm.rate_limited': 'The model server is throttling: wait a minute, or lower LLM_CONCURRENCY.',
  'rate_limit.exceeded':
    'canvas-notes limits how many actions one client starts a minute: wait a moment, or use the bulk buttons (Summarize all) rather than one click per item.',
  'llm.quota_exceeded': 'The API account has run out of credit: check its billing.',
  'canvas.unauthorized': `Create a new Canvas access token and put it in CANVAS_TOKEN in .env. ${RESTART}`,
  'canvas.not_found': 'Canvas no longer has it: sync the courses again.',
  'canvas.rate_limited': 'Canvas is throttling: wait a minute, then sync again.',
  'db.busy': 'Another canvas-notes process holds the database: try again in a moment.',
  'storage.full': 'Free some disk space where DATA_DIR is, then try again.',
  'storage.not_writable': 'Make the DATA_DIR folder writable for canvas-notes, then try again.',
  'jobs.timeout': 'The work took longer than JOB_TIMEOUT_MS: raise it in .env for long lectures.',
  'request.host_not_allowed': 'Open the page at http://127.0.0.1:8000/ or http://localhost:8000/.',
  'route.not_found': 'This canvas-notes server does not offer that yet: update and restart it.',
  'network.unreachable': 'Start canvas-notes again (npm start), then reload the page.',
  'web.not_built': 'Run npm run build:web, then reload.',
};

const AREA_HINTS: Record<string, string> = {
  canvas: 'Canvas did not answer as expected: try the sync again in a moment.',
  llm: 'The model server refused or failed: summarize again later, or check the OPENAI_* settings.',
  zoom: UPLOAD,
  panopto: UPLOAD,
  youtube: UPLOAD,
  canvas_media: UPLOAD,
  reading: UPLOAD,
  jobs: 'Try the action again.',
};

export function hintFor(code: string | null | undefined): string | null {
  if (!code) return null;
  return HINTS[code] ?? AREA_HINTS[code.split('.')[0] ?? ''] ?? null;
}
