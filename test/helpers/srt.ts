/** A small SRT track: one cue per line, three seconds apart. */
export function srt(lines: string[]): string {
  const stamp = (s: number) =>
    `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},000`;
  return lines
    .map((line, index) => `${index + 1}\n${stamp(index * 3)} --> ${stamp(index * 3 + 3)}\n${line}\n`)
    .join('\n');
}

export const LECTURE_LINES = [
  'Good morning. Today we look at ion channels in the membrane.',
  'A channel is a protein that lets specific ions cross the bilayer.',
  'Channels open and close in response to voltage or to ligands.',
  'Potassium channels set the resting potential of the neuron.',
  'Next week we will study active transport and the sodium pump.',
];
