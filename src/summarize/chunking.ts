/**
 * Splits a long transcript into pieces a model can read in one request. Pieces break at paragraph
 * boundaries when they can, else between sentences; a sentence is cut only when it alone is over
 * the budget (caption text without punctuation does that).
 */

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

interface Unit {
  text: string;
  /** What joins this unit to the one before it when both land in the same chunk. */
  separator: string;
}

/**
 * Returns chunks of at most `maxChars` characters each, in order. Joining them with whitespace
 * gives back every word of `text` (whitespace between pieces may differ). Empty input gives `[]`.
 *
 * @example chunkTranscript('One. Two.\n\nThree.', 10) // ['One. Two.', 'Three.']
 */
export function chunkTranscript(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  }
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);

  const units: Unit[] = [];
  for (const paragraph of paragraphs) {
    if (paragraph.length <= maxChars) {
      units.push({ text: paragraph, separator: '\n\n' });
      continue;
    }
    splitSentences(paragraph).forEach((sentence, i) => {
      splitOversized(sentence, maxChars).forEach((piece, j) => {
        units.push({ text: piece, separator: i === 0 && j === 0 ? '\n\n' : ' ' });
      });
    });
  }
  return pack(units, maxChars);
}

function pack(units: Unit[], maxChars: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const unit of units) {
    if (current === '') {
      current = unit.text;
    } else if (current.length + unit.separator.length + unit.text.length <= maxChars) {
      current += unit.separator + unit.text;
    } else {
      chunks.push(current);
      current = unit.text;
    }
  }
  if (current !== '') chunks.push(current);
  return chunks;
}

function splitSentences(paragraph: string): string[] {
  return Array.from(sentenceSegmenter.segment(paragraph), ({ segment }) => segment.trim()).filter(
    (sentence) => sentence.length > 0,
  );
}

/** Cuts a too-long sentence at the last whitespace inside the budget, or mid-word if there is none. */
function splitOversized(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'));
    const end = cut > 0 ? cut : maxChars;
    pieces.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}
