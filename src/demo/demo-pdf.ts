/**
 * The demo course's slide deck, as a real (tiny) PDF built here, so the demo's PDF reading goes
 * through the same text extraction as a file downloaded from Canvas.
 */

const SLIDES: readonly (readonly string[])[] = [
  [
    'Week 1: The cell membrane',
    'A membrane is a phospholipid bilayer: heads face the water, tails face each other.',
    'Proteins embedded in the bilayer carry signals and move molecules across it.',
  ],
  [
    'Crossing the membrane',
    'Small uncharged molecules diffuse through the bilayer on their own.',
    'Ions and sugars need channel or carrier proteins.',
    'Active transport pumps molecules against their gradient and uses ATP.',
  ],
];

export function demoSlidesPdf(): Uint8Array {
  const objects: string[] = [];
  const pageIds = SLIDES.map((_, index) => 4 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${SLIDES.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  SLIDES.forEach((lines, index) => {
    const pageId = 4 + index * 2;
    const text = lines
      .map(
        (line, row) =>
          `BT /F1 ${row === 0 ? 20 : 12} Tf 50 ${740 - row * 30} Td (${escapePdfText(line)}) Tj ET`,
      )
      .join('\n');
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`;
  });

  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(pdf, 'latin1');
    pdf += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(pdf, 'latin1'));
}

function escapePdfText(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}
