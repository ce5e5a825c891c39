import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { FONT, FONT_BOLD, finish, newDocument } from '../../src/pdf/layout.js';
import { drawTextLine, type LinePiece } from '../../src/pdf/text-line.js';
import { HAS_PDFTOTEXT, NO_PDFTOTEXT_REASON, pdfPageImages, pdfText, squeeze } from '../support/pdf.js';

const skip = HAS_PDFTOTEXT ? false : NO_PDFTOTEXT_REASON;

/** Lines of pieces drawn the way a table drew its one-line cells before: one doc.text each. */
function withDocText(lines: LinePiece[][], pages = 1): Promise<Buffer> {
  const doc = newDocument('text line');
  for (let page = 0; page < pages; page += 1) {
    if (page > 0) doc.addPage();
    doc.fontSize(8.5);
    drawWithDocText(doc, lines);
  }
  return finish(doc);
}

function drawWithDocText(doc: PDFKit.PDFDocument, lines: LinePiece[][]): void {
  lines.forEach((pieces, row) => {
    for (const piece of pieces) {
      if (piece.text === '') continue;
      doc.font(piece.font).fillColor(piece.color);
      const width = doc.widthOfString(piece.text);
      const x = piece.rightAlignedIn === undefined ? piece.x : piece.x + Math.max(0, piece.rightAlignedIn - width);
      doc.text(piece.text, x, 60 + row * 14, { lineBreak: false });
    }
  });
}

function withTextLine(lines: LinePiece[][], pages = 1): Promise<Buffer> {
  const doc = newDocument('text line');
  for (let page = 0; page < pages; page += 1) {
    if (page > 0) doc.addPage();
    doc.fontSize(8.5);
    lines.forEach((pieces, row) => {
      drawTextLine(doc, 60 + row * 14, pieces);
    });
  }
  return finish(doc);
}

const piece = (text: string, x: number, extra: Partial<LinePiece> = {}): LinePiece => ({
  text,
  x,
  font: FONT,
  color: '#1f2328',
  ...extra,
});

describe('drawTextLine', () => {
  test('looks exactly like doc.text: kerning, bold, colours, right alignment, accents, marks', { skip }, async () => {
    const lines = [
      [piece('AVATAR To Ty Wa', 48), piece('1,234.56', 440, { rightAlignedIn: 100, font: FONT_BOLD })],
      [piece('Kōbe Works — Zürich €', 48, { color: '#5b636b' }), piece('Łódź', 300)],
      // A decomposed accent: the mark sits over its letter with an offset, which doc.text itself places.
      [piece('Cafe\u0301 ok', 48), piece('(0.000)', 440, { rightAlignedIn: 100 })],
      [piece('', 48), piece('<b>&amp;</b> %PDF ) ( \\ TJ', 100, { font: FONT_BOLD, color: '#5b636b' })],
      [piece('Line\nbreak 2 h\n', 48), piece('\n', 200)],
      // Wider than its box: starts at the box's left edge rather than running into the cell before.
      [piece('123,456,789,012.00', 300, { rightAlignedIn: 40 })],
    ];
    const expected = await withDocText(lines);
    const actual = await withTextLine(lines);
    assert.deepEqual(pdfPageImages(actual), pdfPageImages(expected));
    const text = squeeze(pdfText(actual));
    for (const line of lines) {
      for (const { text: drawn } of line) {
        const expected = drawn.replaceAll('\n', '');
        assert.ok(text.includes(expected) || text.includes(expected.normalize('NFC')), drawn);
      }
    }
  });

  test('on every page: each page names the fonts its text objects use', { skip }, async () => {
    const lines = [
      [piece('Page text 12.50', 48), piece('Bold 1,000.00', 440, { rightAlignedIn: 100, font: FONT_BOLD })],
    ];
    const actual = await withTextLine(lines, 3);
    const images = pdfPageImages(actual);
    assert.equal(images.length, 3);
    assert.deepEqual(images, pdfPageImages(await withDocText(lines, 3)));
    assert.equal(squeeze(pdfText(actual)).match(/Bold 1,000\.00/g)?.length, 3);
  });

  test('any text, any place: the same page as doc.text', { skip }, async () => {
    const chars = fc.constantFrom(...'abcAVTWy019.,-() /\\<>&€ōüßŁ'.split(''), 'e\u0301');
    const pieceArb = fc.record({
      text: fc.array(chars, { maxLength: 14 }).map((parts) => parts.join('')),
      x: fc.integer({ min: 48, max: 520 }),
      bold: fc.boolean(),
      muted: fc.boolean(),
      rightAlignedIn: fc.option(fc.integer({ min: 10, max: 120 }), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(pieceArb, { maxLength: 5 }), { minLength: 1, maxLength: 8 }), async (raw) => {
        const lines = raw.map((pieces) =>
          pieces.map((p) =>
            piece(p.text, p.x, {
              font: p.bold ? FONT_BOLD : FONT,
              color: p.muted ? '#5b636b' : '#1f2328',
              ...(p.rightAlignedIn === undefined ? {} : { rightAlignedIn: p.rightAlignedIn }),
            }),
          ),
        );
        assert.deepEqual(pdfPageImages(await withTextLine(lines)), pdfPageImages(await withDocText(lines)));
      }),
      { numRuns: 15 },
    );
  });
});
