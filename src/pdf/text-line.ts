/**
 * One-line texts of a table row, drawn together in one PDF text object.
 *
 * `doc.text()` is made for paragraphs: each call merges its options, measures the text twice, and writes its own
 * save / transform / text object / restore — ten content operators, each turned into its own byte array. A table
 * of a thousand rows draws six thousand short cells, and that is most of a long statement's time. Here the cells
 * of a row share one text object: per cell a position and the glyphs, laid out, subset and encoded by pdfkit's own
 * font (`encode`, the same call `doc.text` makes), so the output is the one `doc.text` would give, text for text.
 *
 * This reaches below pdfkit's documented API (the current font object and the page's font table), which is why
 * pdfkit's version is pinned in package.json; test/unit/pdf-text-line.test.ts compares the pages with doc.text's.
 * User text is still only text: it becomes glyph ids, nothing in it is interpreted.
 */

type Doc = PDFKit.PDFDocument;

interface GlyphPosition {
  xAdvance: number;
  xOffset: number;
  yOffset: number;
  advanceWidth: number;
}

/** The parts of pdfkit's embedded font used here. */
interface PdfkitFont {
  id: string;
  /** In thousandths of the font size. */
  ascender: number;
  ref(): unknown;
  /** Glyph ids as 4-digit hex, and their positions in thousandths of the font size. */
  encode(text: string): [string[], GlyphPosition[]];
}

interface PdfkitInternals {
  _font: PdfkitFont;
  _fontSize: number;
  _fillColor?: [unknown, unknown];
  page: { height: number; fonts: Record<string, unknown> };
}

export interface LinePiece {
  text: string;
  /** Left edge of the text, or of its box when it is right-aligned. */
  x: number;
  font: string;
  color: string;
  /** Right-aligned in a box this wide from `x`; a text wider than its box starts at `x`. */
  rightAlignedIn?: number;
}

/** The pages on which drawTextLine has set a fill colour. */
const coloured = new WeakSet<object>();

const number = (n: number): string => String(Math.round(n * 1e6) / 1e6);

/** The glyphs of one text as a TJ operator, with the font's kerning kept as adjustments; null when a glyph is shifted. */
function glyphsOperator(font: PdfkitFont, text: string): { operator: string; width: number } | null {
  const [encoded, positions] = font.encode(text);
  let operator = '[';
  let start = 0;
  let width = 0;
  for (let i = 0; i < positions.length; i += 1) {
    const position = positions[i] as GlyphPosition;
    // Marks placed over a base glyph need their own text position: doc.text handles them.
    if (position.xOffset !== 0 || position.yOffset !== 0) return null;
    width += position.xAdvance;
    const adjustment = position.xAdvance - position.advanceWidth;
    if (adjustment !== 0 || i === positions.length - 1) {
      operator += `<${encoded.slice(start, i + 1).join('')}> ${number(-adjustment)} `;
      start = i + 1;
    }
  }
  return { operator: `${operator}] TJ`, width };
}

const leftOf = (piece: LinePiece, width: number): number =>
  piece.rightAlignedIn === undefined ? piece.x : piece.x + Math.max(0, piece.rightAlignedIn - width);

/**
 * Draws each piece on one line whose top is `y`, as `doc.text(text, x, y, { lineBreak: false })` would. Leaves the
 * document's font and fill colour set to the last piece's.
 */
export function drawTextLine(doc: Doc, y: number, pieces: readonly LinePiece[]): void {
  const pdf = doc as unknown as PdfkitInternals;
  const pageHeight = pdf.page.height;
  let operators = '';
  let fontInUse = '';
  const flush = () => {
    if (operators !== '') doc.addContent(`q\n1 0 0 -1 0 ${number(pageHeight)} cm\nBT\n${operators}ET\nQ`);
    operators = '';
    fontInUse = '';
  };
  for (const piece of pieces) {
    // doc.text draws the parts of a one-line text on either side of a line break next to each other.
    const text = piece.text.replaceAll('\n', '');
    if (text === '') continue;
    // A colour is set between text objects, in the order doc.fillColor writes it. The document remembers the last
    // colour asked for, but a new page starts from black: on each page the first line sets its colour itself.
    if (pdf._fillColor?.[0] !== piece.color || !coloured.has(pdf.page)) {
      flush();
      doc.fillColor(piece.color);
      coloured.add(pdf.page);
    }
    doc.font(piece.font);
    const font = pdf._font;
    const size = pdf._fontSize;
    const glyphs = glyphsOperator(font, text);
    if (glyphs === null) {
      flush();
      doc.text(text, leftOf(piece, doc.widthOfString(text)), y, { lineBreak: false });
      continue;
    }
    const fontAndSize = `/${font.id} ${number(size)} Tf`;
    if (fontAndSize !== fontInUse) {
      pdf.page.fonts[font.id] ??= font.ref();
      operators += `${fontAndSize}\n`;
      fontInUse = fontAndSize;
    }
    const x = leftOf(piece, (glyphs.width * size) / 1000);
    const baseline = pageHeight - y - (font.ascender / 1000) * size;
    operators += `1 0 0 1 ${number(x)} ${number(baseline)} Tm\n${glyphs.operator}\n`;
  }
  flush();
}
