import type { Words } from '../i18n/words.js';
import { fontSources, pdfkit } from './fonts.js';
import { organizationLines } from './format.js';
import { drawTextLine, type LinePiece } from './text-line.js';

/**
 * The one layout every Portico PDF shares: the organization's block (logo, name, address), the document's title
 * and number, the customer block, tables that break between rows — never inside one — and repeat their header
 * row on every page, and "Page N of M" in the footer.
 *
 * Safety (SECURITY.md regression 7): everything from users is drawn with `doc.text` as plain text — pdfkit
 * interprets no markup — no text is ever given a link, and the only image is the organization's logo, drawn from
 * the decoded bytes in the database. Nothing here fetches a URL or opens a file named by document content; the
 * only files read are Portico's own fonts.
 */

type Doc = PDFKit.PDFDocument;

export const FONT = 'Portico-Sans';
export const FONT_BOLD = 'Portico-Sans-Bold';
const INK = '#1f2328';
const MUTED = '#5b636b';
const RULE = '#d0d7de';
const HEADER_FILL = '#f3f4f6';
const MARGIN = 48;
/** Room kept at the bottom of every page for the page number. */
const FOOTER_SPACE = 24;

export interface PdfOrganization {
  name: string;
  address: string;
  email: string | null;
  phone: string | null;
  website: string | null;
  logoBase64: string | null;
  logoContentType: string | null;
  /** The organization's locale: the words of its PDFs when the reader chose none (English without). */
  locale?: string;
}

export interface PdfParty {
  label: string;
  name: string;
  lines: string[];
}

/** Each document's "Page N of M", in its reader's words (English when it was made without). */
const pageLabels = new WeakMap<Doc, (page: number, pages: number) => string>();

export function newDocument(title: string, words?: Words): Doc {
  const { regular, bold } = fontSources(words?.language);
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: title, Creator: 'Portico', Producer: 'Portico' },
  });
  doc.registerFont(FONT, regular as Buffer);
  doc.registerFont(FONT_BOLD, bold as Buffer);
  doc.font(FONT).fontSize(10).fillColor(INK);
  if (words) pageLabels.set(doc, (page, pages) => words.t('pdf.pageOf', { page, pages }));
  return doc;
}

const left = (doc: Doc) => doc.page.margins.left;
const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottomLimit = (doc: Doc) => doc.page.height - doc.page.margins.bottom - FOOTER_SPACE;

/** Starts a new page unless `height` more points fit on this one. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottomLimit(doc)) {
    doc.addPage();
    doc.y = doc.page.margins.top;
  }
}

/** The logo from its stored bytes only; an unreadable image is left out rather than failing the document. */
function drawLogo(doc: Doc, org: PdfOrganization, x: number, y: number): number {
  if (!org.logoBase64 || (org.logoContentType !== 'image/png' && org.logoContentType !== 'image/jpeg')) return 0;
  const bytes = Buffer.from(org.logoBase64, 'base64');
  try {
    doc.image(bytes, x, y, { fit: [150, 56] });
    return 64;
  } catch {
    return 0;
  }
}

/** The organization's block on the left, the title, number and key facts on the right. */
export function drawHeader(
  doc: Doc,
  org: PdfOrganization,
  heading: { title: string; number?: string; facts: Array<[string, string]> },
): void {
  const x = left(doc);
  const width = contentWidth(doc);
  const top = doc.page.margins.top;
  const leftWidth = width * 0.55;
  const rightX = x + width * 0.55;
  const rightWidth = width * 0.45;

  let leftY = top + drawLogo(doc, org, x, top);
  doc.font(FONT_BOLD).fontSize(13).fillColor(INK);
  doc.text(org.name, x, leftY, { width: leftWidth });
  leftY = doc.y + 2;
  doc.font(FONT).fontSize(9).fillColor(MUTED);
  for (const line of organizationLines(org)) {
    doc.text(line, x, leftY, { width: leftWidth });
    leftY = doc.y;
  }

  // Long titles ("Statement of accounts") shrink to stay on one line.
  doc.font(FONT_BOLD).fontSize(20).fillColor(INK);
  const titleWidth = doc.widthOfString(heading.title);
  if (titleWidth > rightWidth) doc.fontSize(Math.max(12, Math.floor((20 * rightWidth) / titleWidth)));
  doc.text(heading.title, rightX, top, { width: rightWidth, align: 'right' });
  let rightY = doc.y;
  if (heading.number) {
    doc.font(FONT).fontSize(11).fillColor(MUTED);
    doc.text(`# ${heading.number}`, rightX, rightY, { width: rightWidth, align: 'right' });
    rightY = doc.y + 6;
  }
  doc.fontSize(9);
  for (const [label, value] of heading.facts) {
    doc
      .font(FONT)
      .fillColor(MUTED)
      .text(label, rightX, rightY, { width: rightWidth * 0.4 });
    const labelBottom = doc.y;
    doc
      .font(FONT_BOLD)
      .fillColor(INK)
      .text(value, rightX + rightWidth * 0.4, rightY, { width: rightWidth * 0.6, align: 'right' });
    rightY = Math.max(labelBottom, doc.y) + 1;
  }
  doc.font(FONT).fontSize(10).fillColor(INK);
  doc.x = x;
  doc.y = Math.max(leftY, rightY) + 18;
}

/** "Bill to" and the customer's name and address. */
export function drawParty(doc: Doc, party: PdfParty): void {
  const x = left(doc);
  const width = contentWidth(doc) * 0.55;
  ensureSpace(doc, 48);
  doc.font(FONT).fontSize(8).fillColor(MUTED).text(party.label.toUpperCase(), x, doc.y, { width });
  doc
    .font(FONT_BOLD)
    .fontSize(11)
    .fillColor(INK)
    .text(party.name, x, doc.y + 2, { width });
  doc.font(FONT).fontSize(9).fillColor(INK);
  for (const line of party.lines) doc.text(line, x, doc.y, { width });
  doc.x = x;
  doc.y += 16;
}

export interface Column {
  header: string;
  /** Relative width. */
  weight: number;
  align?: 'left' | 'right';
  /** Text that may need several lines (names, descriptions); other cells are one line. */
  wrap?: boolean;
}

export type Cell = string | { text: string; bold?: boolean; muted?: boolean };

const PAD_X = 4;
const PAD_Y = 4;
const TABLE_FONT_SIZE = 8.5;

/**
 * A table whose rows are never split across pages: each row's height is measured first, and a row that does not
 * fit starts a new page, which begins with the header row again. A row taller than a whole page (a description of
 * thousands of characters) is cut to the page with an ellipsis rather than split.
 */
export function drawTable(doc: Doc, columns: readonly Column[], rows: readonly (readonly Cell[])[]): void {
  const x0 = left(doc);
  const width = contentWidth(doc);
  const totalWeight = columns.reduce((sum, column) => sum + column.weight, 0);
  const widths = columns.map((column) => (width * column.weight) / totalWeight);
  const xs: number[] = [];
  widths.reduce((x, w) => {
    xs.push(x);
    return x + w;
  }, x0);

  doc.fontSize(TABLE_FONT_SIZE);
  doc.font(FONT);
  const lineHeight = doc.currentLineHeight(true);

  const headerHeight = (() => {
    doc.font(FONT_BOLD);
    const tallest = Math.max(
      ...columns.map((column, i) => doc.heightOfString(column.header, { width: (widths[i] ?? 0) - 2 * PAD_X })),
    );
    doc.font(FONT);
    return tallest + 2 * PAD_Y;
  })();

  let style = { bold: false, muted: false };
  const drawHeaderRow = () => {
    const y = doc.y;
    doc.rect(x0, y, width, headerHeight).fill(HEADER_FILL);
    doc.font(FONT_BOLD).fontSize(TABLE_FONT_SIZE).fillColor(INK);
    columns.forEach((column, i) => {
      doc.text(column.header, (xs[i] ?? 0) + PAD_X, y + PAD_Y, {
        width: (widths[i] ?? 0) - 2 * PAD_X,
        align: column.align ?? 'left',
      });
    });
    // A new page starts with a fresh graphics state: set what every row below relies on.
    doc.font(FONT).fillColor(INK).lineWidth(0.5).strokeColor(RULE);
    style = { bold: false, muted: false };
    doc.y = y + headerHeight;
  };

  const textOf = (cell: Cell | undefined) => (cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text);
  const maxRowHeight = bottomLimit(doc) - doc.page.margins.top - headerHeight;

  ensureSpace(doc, headerHeight + lineHeight + 2 * PAD_Y);
  drawHeaderRow();
  for (const row of rows) {
    let contentHeight = lineHeight;
    // Cells that fit on one line are placed by hand; only the others go through pdfkit's line wrapping,
    // which is what makes 1,000-row tables slow.
    const wrapped = columns.map((column, i) => {
      const cell = row[i];
      const text = textOf(cell);
      if (!column.wrap || text === '') return false;
      doc.font(typeof cell === 'object' && cell.bold ? FONT_BOLD : FONT);
      const cellWidth = (widths[i] ?? 0) - 2 * PAD_X;
      const needsWrapping = text.includes('\n') || doc.widthOfString(text) > cellWidth;
      if (needsWrapping) contentHeight = Math.max(contentHeight, doc.heightOfString(text, { width: cellWidth }));
      return needsWrapping;
    });
    doc.font(style.bold ? FONT_BOLD : FONT);
    const rowHeight = Math.min(contentHeight + 2 * PAD_Y, maxRowHeight);
    if (doc.y + rowHeight > bottomLimit(doc)) {
      doc.addPage();
      doc.y = doc.page.margins.top;
      drawHeaderRow();
    }
    const y = doc.y;
    const oneLine: LinePiece[] = [];
    columns.forEach((column, i) => {
      const cell = row[i];
      const text = textOf(cell);
      if (text === '') return;
      const bold = typeof cell === 'object' && cell.bold === true;
      const muted = typeof cell === 'object' && cell.muted === true;
      const cellX = (xs[i] ?? 0) + PAD_X;
      const cellWidth = (widths[i] ?? 0) - 2 * PAD_X;
      if (!wrapped[i]) {
        oneLine.push({
          text,
          x: cellX,
          ...(column.align === 'right' ? { rightAlignedIn: cellWidth } : {}),
          font: bold ? FONT_BOLD : FONT,
          color: muted ? MUTED : INK,
        });
        return;
      }
      // Font and colour change only when they must: every change is an operator in the page's content.
      if (bold !== style.bold) doc.font(bold ? FONT_BOLD : FONT);
      if (muted !== style.muted) doc.fillColor(muted ? MUTED : INK);
      style = { bold, muted };
      doc.text(text, cellX, y + PAD_Y, {
        width: cellWidth,
        height: rowHeight - 2 * PAD_Y,
        ellipsis: true,
        align: column.align ?? 'left',
      });
    });
    const last = oneLine.at(-1);
    if (last) {
      drawTextLine(doc, y + PAD_Y, oneLine);
      style = { bold: last.font === FONT_BOLD, muted: last.color === MUTED };
    }
    doc
      .moveTo(x0, y + rowHeight)
      .lineTo(x0 + width, y + rowHeight)
      .stroke();
    doc.y = y + rowHeight;
  }
  doc.font(FONT).fontSize(10).fillColor(INK);
  doc.x = x0;
  doc.y += 10;
}

/** Label–value rows on the right (totals, a statement's summary), kept together on one page. */
export function drawSummary(doc: Doc, rows: ReadonlyArray<{ label: string; value: string; bold?: boolean }>): void {
  const width = contentWidth(doc);
  const x = left(doc) + width * 0.45;
  const blockWidth = width * 0.55;
  doc.fontSize(10);
  const lineHeight = doc.currentLineHeight(true) + 4;
  ensureSpace(doc, rows.length * lineHeight + 8);
  let y = doc.y;
  for (const row of rows) {
    doc
      .font(row.bold ? FONT_BOLD : FONT)
      .fillColor(row.bold ? INK : MUTED)
      .text(row.label, x, y, { width: blockWidth * 0.55, lineBreak: false });
    doc.font(row.bold ? FONT_BOLD : FONT).fillColor(INK);
    const valueWidth = doc.widthOfString(row.value);
    doc.text(row.value, x + blockWidth - valueWidth, y, { lineBreak: false });
    y += lineHeight;
  }
  doc.font(FONT).fillColor(INK);
  doc.x = left(doc);
  doc.y = y + 10;
}

/** A heading and free text (notes, terms), which may run onto the next page. */
export function drawParagraph(doc: Doc, heading: string, text: string | null | undefined): void {
  if (!text || text.trim() === '') return;
  const x = left(doc);
  const width = contentWidth(doc);
  ensureSpace(doc, 40);
  doc.font(FONT_BOLD).fontSize(9).fillColor(INK).text(heading, x, doc.y, { width });
  doc
    .font(FONT)
    .fontSize(9)
    .fillColor(INK)
    .text(text, x, doc.y + 2, { width });
  doc.x = x;
  doc.y += 10;
}

/** A heading and free text with an image (a payment QR code) on the right, kept together on one page. */
export function drawParagraphWithImage(doc: Doc, heading: string, text: string, image: Buffer | null, size = 96): void {
  const x = left(doc);
  const width = contentWidth(doc);
  const textWidth = image ? width - size - 16 : width;
  doc.font(FONT).fontSize(9);
  const textHeight = doc.heightOfString(text, { width: textWidth }) + 16;
  ensureSpace(doc, Math.max(textHeight, image ? size : 0) + 20);
  const top = doc.y;
  doc.font(FONT_BOLD).fontSize(9).fillColor(INK).text(heading, x, top, { width: textWidth });
  doc
    .font(FONT)
    .fontSize(9)
    .fillColor(INK)
    .text(text, x, doc.y + 2, { width: textWidth });
  const textBottom = doc.y;
  if (image) doc.image(image, x + width - size, top, { width: size, height: size });
  doc.x = x;
  doc.y = Math.max(textBottom, image ? top + size : 0) + 10;
}

/** A small heading above a table. */
export function drawSectionTitle(doc: Doc, title: string): void {
  ensureSpace(doc, 60);
  doc
    .font(FONT_BOLD)
    .fontSize(11)
    .fillColor(INK)
    .text(title, left(doc), doc.y, { width: contentWidth(doc) });
  doc.y += 4;
}

/** Numbers every page ("Page N of M") and returns the finished file. */
export function finish(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const range = doc.bufferedPageRange();
  const pageLabel = pageLabels.get(doc) ?? ((page: number, pages: number) => `Page ${page} of ${pages}`);
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // The footer sits inside the bottom margin: lift the margin so pdfkit does not start a page for it.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font(FONT)
      .fontSize(8)
      .fillColor(MUTED)
      .text(pageLabel(i - range.start + 1, range.count), left(doc), doc.page.height - bottom + 8, {
        width: contentWidth(doc),
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
