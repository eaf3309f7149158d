import { useRef } from 'preact/hooks';
import { api } from '../api.ts';
import { useAction } from '../hooks.ts';
import { ErrorNote } from './status.tsx';

/** The server refuses more (`UPLOAD_MAX_BYTES`); saying so before sending saves the upload. */
const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Uploading a transcript for an item whose recording cannot be fetched, in a modal dialog:
 * the browser's own `<dialog>` keeps focus inside while open and closes on Escape.
 */
export function UploadDialog({
  itemId,
  itemTitle,
  onUploaded,
}: {
  itemId: number;
  itemTitle: string;
  onUploaded: (bytes: number) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  // After an upload the opener goes away with the item's new transcript: `onUploaded` says where
  // focus goes instead.
  const uploaded = useRef(false);
  const upload = useAction(async (file: File) => {
    if (file.size > MAX_BYTES) throw new Error('The file is larger than 5 MB: no transcript is that long.');
    const answer = await api.uploadTranscript(itemId, file);
    uploaded.current = true;
    dialog.current?.close();
    onUploaded(answer.bytes);
  });

  const submit = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('file') as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void upload.start(file);
  };

  return (
    <>
      <button type="button" ref={opener} onClick={() => dialog.current?.showModal()}>
        Upload a transcript…
      </button>
      <dialog
        ref={dialog}
        class="dialog"
        aria-labelledby="upload-title"
        onClose={() => {
          if (!uploaded.current) opener.current?.focus();
          uploaded.current = false;
        }}
      >
        <form onSubmit={submit}>
          <h2 id="upload-title">Upload a transcript</h2>
          <p>
            For “{itemTitle}”: a WebVTT (.vtt), SRT (.srt) or plain-text file of up to 5 MB, such as the
            captions downloaded from the recording’s host. It becomes this item’s transcript.
          </p>
          <label for="upload-file">Transcript file</label>
          <input
            id="upload-file"
            name="file"
            type="file"
            accept=".vtt,.srt,.txt,text/vtt,application/x-subrip,text/plain"
            required
          />
          <ErrorNote error={upload.error} />
          <div class="buttons">
            <button type="submit" class="primary" disabled={upload.pending}>
              {upload.pending ? 'Uploading…' : 'Upload'}
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
