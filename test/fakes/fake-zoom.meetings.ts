/**
 * The recordings listing's meetings (reference §F5) and the keys of their downloads, for the
 * fake Zoom's REST half (`fake-zoom-server.ts`).
 */

import { type FakeZoomRecording, hostOf, playTokenOf, playUrlOf, shareUrlOf } from './fake-zoom.model.ts';

export function downloadKeys(r: FakeZoomRecording): string[] {
  return [playTokenOf(r), `tr-${r.shareToken}`, `cc-${r.shareToken}`];
}

/** A meeting of the recordings listing, as reference §F5 shows it (CC lacks id, status, play_url). */
export function meetingJson(r: FakeZoomRecording) {
  const uuid = `${r.shareToken.slice(0, 22)}==`;
  const host = hostOf(r);
  const times = { meeting_id: uuid, recording_start: r.startTime, recording_end: r.startTime };
  const files: Record<string, unknown>[] = [
    {
      id: `${r.shareToken}-file-mp4`,
      ...times,
      file_type: 'MP4',
      file_extension: 'MP4',
      file_size: 311880112,
      play_url: playUrlOf(r),
      download_url: `https://${host}/rec/download/${playTokenOf(r)}`,
      status: 'completed',
      recording_type: 'shared_screen_with_speaker_view',
    },
  ];
  if (r.transcript !== undefined) {
    files.push({
      id: `${r.shareToken}-file-tr`,
      ...times,
      file_type: 'TRANSCRIPT',
      file_extension: 'VTT',
      file_size: r.transcript.length,
      play_url: `https://${host}/rec/play/tr-${r.shareToken}`,
      download_url: `https://${host}/rec/download/tr-${r.shareToken}`,
      status: r.transcriptStatus ?? 'completed',
      recording_type: 'audio_transcript',
    });
  }
  if (r.cc !== undefined) {
    files.push({
      ...times,
      file_type: 'CC',
      file_extension: 'VTT',
      download_url: `https://${host}/rec/download/cc-${r.shareToken}`,
    });
  }
  return {
    uuid,
    id: 84598792483,
    account_id: 'Cx3wERazSgup7ZWRHQM8-w',
    host_id: '_0ctZtY0REqWalTmwvrdIw',
    topic: r.topic ?? 'Lecture',
    type: 8,
    start_time: r.startTime,
    timezone: 'America/New_York',
    duration: 52,
    total_size: 312455890,
    recording_count: files.length,
    share_url: shareUrlOf(r),
    recording_files: files,
  };
}

export function decodePageToken(token: string, from: string, to: string): number | null {
  const [tokenFrom, tokenTo, offset] = Buffer.from(token, 'base64url').toString().split('|');
  return tokenFrom === from && tokenTo === to && Number(offset) > 0 ? Number(offset) : null;
}
