/**
 * The Zoom payload fields we read, parsed at the boundary. REST API shapes follow reference §C
 * and §F5 (`recording_files` entries of type CC lack `id`, `status` and `play_url`); web-player
 * shapes follow the `{ status, errorCode, errorMessage, result }` envelope the player's
 * `/nws/recording/1.0/` endpoints answer (reference §I; yt-dlp `yt_dlp/extractor/zoom.py`).
 */

import { z } from 'zod';

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  /** Seconds; Zoom issues one-hour tokens. */
  expires_in: z.coerce.number().positive().optional(),
});

export const recordingFileSchema = z.object({
  file_type: z.string().optional(),
  download_url: z.string().optional(),
  play_url: z.string().optional(),
  status: z.string().optional(),
});
export type ZoomRecordingFile = z.infer<typeof recordingFileSchema>;

export const meetingSchema = z.object({
  share_url: z.string().optional(),
  recording_files: z.array(recordingFileSchema).default([]),
});
export type ZoomMeeting = z.infer<typeof meetingSchema>;

export const recordingsPageSchema = z.object({
  meetings: z.array(meetingSchema).default([]),
  next_page_token: z.string().optional(),
});

/** `{"code":124,"message":"Invalid access token."}` and its kin. */
export const apiErrorSchema = z.object({ code: z.number().optional() }).catch({});

export const playerEnvelopeSchema = z.object({
  status: z.boolean().optional(),
  errorCode: z.number().nullish(),
  result: z.unknown().optional(),
});

export const playerResultSchema = z
  .object({
    componentName: z.string(),
    redirectUrl: z.string(),
    meetingId: z.string(),
    fileId: z.string(),
    encryptMeetId: z.string(),
    useWhichPasswd: z.string(),
    sharelevel: z.string(),
    action: z.string(),
    needRecaptcha: z.boolean(),
    transcriptUrl: z.string(),
    ccUrl: z.string(),
  })
  .partial()
  // `validate-meeting-passwd` answers a bare string (`"result":"viewdetailpage"`).
  .catch({});
export type ZoomPlayerResult = z.infer<typeof playerResultSchema>;
