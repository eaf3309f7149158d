import { createAbortError, type Summarizer } from '../../src/summarize/summarizer.ts';

export interface GatedSummarizer extends Summarizer {
  /** Lets every summary held at the gate go on; later ones pass at once. */
  release(): void;
}

/**
 * `inner`, but each summary first reports "Summarized part 1 of 2" and then waits until the test
 * calls `release()`, so a test can watch a job's progress while it runs.
 */
export function gateSummarizer(inner: Summarizer): GatedSummarizer {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    name: inner.name,
    settingsKey: inner.settingsKey,
    async summarize(input, options) {
      options.onProgress?.({ current: 1, total: 2, message: 'Summarized part 1 of 2' });
      const { signal } = options;
      await new Promise<void>((resolve, reject) => {
        void gate.then(resolve);
        signal?.addEventListener('abort', () => reject(createAbortError(signal.reason)), { once: true });
      });
      return inner.summarize(input, options);
    },
    release: () => open(),
  };
}
