/**
 * Turns the notes input's paragraphs into sentences the offline summarizer can quote, each
 * knowing the paragraph it starts in, and into the tokens its term weights are made of.
 */

import { STOPWORDS } from './offline.lexicon.ts';
import type { NotesSegment } from './summarizer.ts';

export interface Token {
  /** Lower case, apostrophe suffix dropped ("model's" → "model"). */
  surface: string;
  /** As written, same suffix dropped: term labels keep the speaker's casing ("Naive Bayes"). */
  written: string;
  stem: string;
  content: boolean;
  /** Joined to the word before by a hyphen ("scikit-learn"), which a term shown from both keeps. */
  hyphenated: boolean;
}

export interface SplitSentence {
  text: string;
  /** Index of the segment (paragraph) the sentence starts in. */
  segment: number;
  tokens: Token[];
}

/** Sound marks and `>>` speaker changes that older stored transcripts may still carry. */
const NOISE = /\[(?:music|applause|laughter|inaudible|noise|silence|crosstalk)\]|>>+/gi;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;
/** Caption text sometimes runs on for hundreds of words without punctuation; cut those into windows. */
const MAX_SENTENCE_WORDS = 80;
const WINDOW_WORDS = 40;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const SEGMENTER_CHUNK = 4000;
const ENDS_SENTENCE = /[.!?…]["'”’)\]]*$/;

/**
 * Sentences in order. Paragraph breaks end a sentence, except where the captions were cut
 * mid-sentence (no end punctuation, and the next paragraph starts in lower case): such a sentence
 * belongs to the paragraph it starts in.
 */
export function splitSentences(segments: readonly NotesSegment[]): SplitSentence[] {
  const { text, starts } = joinSegments(segments);
  const sentences: SplitSentence[] = [];
  let segment = 0;
  for (const piece of sentencePieces(text)) {
    for (const window of windowsOf(piece.segment, piece.index)) {
      while (
        segment + 1 < starts.length &&
        (starts[segment + 1] ?? Number.POSITIVE_INFINITY) <= window.offset
      )
        segment++;
      sentences.push({ text: window.text, segment, tokens: tokenize(window.text) });
    }
  }
  return sentences;
}

/**
 * `Intl.Segmenter` over the text, a few thousand characters at a time: V8's segmenter slows down
 * more than linearly on one long string (a two-hour lecture took seconds). Each chunk's last
 * sentence may be cut short, so the next chunk starts over from it.
 */
function* sentencePieces(text: string): Generator<{ segment: string; index: number }> {
  let start = 0;
  while (start < text.length) {
    const end = Math.min(text.length, start + SEGMENTER_CHUNK);
    const pieces = Array.from(sentenceSegmenter.segment(text.slice(start, end)));
    const last = pieces.at(-1);
    if (end === text.length || (last && last.index > 0)) {
      const whole = end === text.length ? pieces : pieces.slice(0, -1);
      for (const piece of whole) yield { segment: piece.segment, index: start + piece.index };
      start = end === text.length ? end : start + (last?.index ?? 0);
      continue;
    }
    // One run-on sentence longer than a chunk: cut it at a space; it is cut into windows anyway.
    const space = text.lastIndexOf(' ', end);
    const cut = space > start ? space : end;
    yield { segment: text.slice(start, cut), index: start };
    start = cut;
  }
}

/**
 * One text for the segmenter: a newline (a forced sentence break) between paragraphs, a space
 * inside a cut sentence.
 */
function joinSegments(segments: readonly NotesSegment[]): { text: string; starts: number[] } {
  const parts: string[] = [];
  const starts: number[] = [];
  let length = 0;
  let previous: string | undefined;
  for (const segment of segments) {
    const clean = segment.text.replace(NOISE, ' ').replace(/\s+/g, ' ').trim();
    if (previous !== undefined) {
      parts.push(ENDS_SENTENCE.test(previous) || !/^\p{Ll}/u.test(clean) ? '\n' : ' ');
      length++;
    }
    starts.push(length);
    parts.push(clean);
    length += clean.length;
    previous = clean;
  }
  return { text: parts.join(''), starts };
}

/** The sentence, or 40-word windows of a run-on one, each with where it starts in the joined text. */
function windowsOf(sentence: string, at: number): Array<{ text: string; offset: number }> {
  const words = Array.from(sentence.matchAll(/\S+/g), (match) => ({
    word: match[0],
    offset: at + match.index,
  }));
  if (words.length === 0) return [];
  const size = words.length > MAX_SENTENCE_WORDS ? WINDOW_WORDS : words.length;
  const windows: Array<{ text: string; offset: number }> = [];
  for (let i = 0; i < words.length; i += size) {
    const slice = words.slice(i, i + size);
    windows.push({ text: slice.map((w) => w.word).join(' '), offset: slice[0]?.offset ?? at });
  }
  return windows;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let end = -1;
  for (const { 0: word, index } of text.matchAll(WORD)) {
    let written = word.replace(/’/g, "'").replace(/'(?:s|re|ll|ve|d|m|t)$/i, '');
    let surface = written.toLowerCase();
    let stem = stemOf(surface);
    let hyphenated = index === end + 1 && text[end] === '-';
    end = index + word.length;
    const previous = tokens.at(-1);
    // "one-hot", "k-means", "10-fold": a compound led by a word that is no term on its own is one
    // word, so that "one-hot encoding" is not shown as "hot encoding".
    if (hyphenated && previous && !previous.content) {
      written = `${previous.written}-${written}`;
      surface = `${previous.surface}-${surface}`;
      stem = `${previous.surface}-${stem}`;
      hyphenated = previous.hyphenated;
    }
    const content =
      /\p{L}/u.test(surface) && surface.length >= 3 && !STOPWORDS.has(surface) && !STOPWORDS.has(stem);
    tokens.push({ surface, written, stem, content, hyphenated });
  }
  return tokens;
}

/** Folds plurals onto their singular ("digits" → "digit", "classes" → "class"); nothing cleverer. */
function stemOf(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}
