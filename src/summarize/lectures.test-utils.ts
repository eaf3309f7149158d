/**
 * The real lectures (caption-panel text without times) for the summarizers' tests and the
 * summary benchmark. CI has the shared data folder beside the checkout; the lectures are never
 * copied in.
 */

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { notesFromText } from './notes-input.ts';
import type { SummarizeInput } from './summarizer.ts';

export type LectureName = 'ml-module-1' | 'ml-module-3' | 'ml-module-5';

export function readLecture(name: LectureName): string {
  return readFileSync(path.resolve(process.cwd(), '../shared/data/lectures', `${name}.txt`), 'utf8');
}

/** The caption lines as `[hh:mm:ss]` paragraphs of `linesPerParagraph` lines, one every 40 seconds. */
export function timedText(text: string, linesPerParagraph = 8): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const paragraphs: string[] = [];
  for (let i = 0; i < lines.length; i += linesPerParagraph) {
    const seconds = (i / linesPerParagraph) * 40;
    const stamp = [seconds / 3600, (seconds / 60) % 60, seconds % 60]
      .map((n) => String(Math.floor(n)).padStart(2, '0'))
      .join(':');
    paragraphs.push(`[${stamp}] ${lines.slice(i, i + linesPerParagraph).join(' ')}`);
  }
  return paragraphs.join('\n\n');
}

/** `timedText` as a summarizer's input. */
export function timedLecture(text: string, title = 'Supervised learning'): SummarizeInput {
  return notesFromText(title, timedText(text));
}
