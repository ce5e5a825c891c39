import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';

/**
 * The fonts every PDF is drawn in: DejaVu Sans (from the dejavu-fonts-ttf package), which draws "ō", "ł", "€"…
 * that the built-in Helvetica cannot. Parsed once per process; each document still embeds its own subset.
 *
 * Figures are laid out without the shaper. pdfkit lays out every new word with fontkit's full shaping (scripts,
 * substitutions, kerning), ≈ 20 µs a word, and a long statement is mostly new words — amounts, dates, balances.
 * In DejaVu Sans the figures and the signs around them neither kern nor combine, so such a word's layout is only
 * its glyphs side by side. That is not assumed: each font is checked when it is loaded — every pair of these
 * characters laid out by fontkit must come out as the two glyphs at their own advance — and a character that
 * fails is left to the shaper. Any other word, or any layout with features asked for, goes to fontkit as before.
 */

const require = createRequire(import.meta.url);

/** pdfkit, loaded with the first PDF: a process that never renders one never loads it (tens of MB). */
let library: typeof PDFDocumentClass | undefined;
export function pdfkit(): typeof PDFDocumentClass {
  library ??= require('pdfkit') as typeof PDFDocumentClass;
  return library;
}

/** Characters of amounts, dates and numbers, if the font lays them out plainly. */
export const FIGURE_CANDIDATES = ' 0123456789.,-+()/:%';

interface Glyph {
  id: number;
  advanceWidth: number;
}

interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface GlyphRun {
  glyphs: Glyph[];
  positions: Position[];
  readonly advanceWidth: number;
}

/** The parts of a fontkit font used here. */
export interface FontkitFont {
  layout(text: string, features?: unknown, ...rest: unknown[]): GlyphRun;
  glyphForCodePoint(codePoint: number): Glyph;
}

/** What fontkit's own run offers pdfkit: glyphs, positions and, summed when asked, the advance. */
class PlainRun implements GlyphRun {
  constructor(
    readonly glyphs: Glyph[],
    readonly positions: Position[],
  ) {}
  get advanceWidth(): number {
    let width = 0;
    for (const position of this.positions) width += position.xAdvance;
    return width;
  }
}

/** The layout of text made only of characters the font lays out plainly: each glyph at its own advance. */
function plainLayout(font: FontkitFont, text: string): GlyphRun {
  const glyphs: Glyph[] = [];
  const positions: Position[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const glyph = font.glyphForCodePoint(text.charCodeAt(i));
    glyphs.push(glyph);
    // Fresh objects: pdfkit scales the positions of a run in place.
    positions.push({ xAdvance: glyph.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 });
  }
  return new PlainRun(glyphs, positions);
}

const sameLayout = (a: GlyphRun, b: GlyphRun): boolean =>
  a.glyphs.length === b.glyphs.length &&
  a.glyphs.every((glyph, i) => glyph.id === b.glyphs[i]?.id) &&
  a.positions.every((p, i) => {
    const q = b.positions[i];
    return q !== undefined && p.xAdvance === q.xAdvance && p.yAdvance === q.yAdvance && !p.xOffset && !p.yOffset;
  });

/** The candidates the font lays out exactly as plainLayout does, alone and next to each other. */
export function plainCharactersOf(font: FontkitFont, candidates = FIGURE_CANDIDATES): Set<string> {
  const plain = new Set(candidates.split(''));
  for (const a of candidates) {
    for (const b of candidates) {
      if (!sameLayout(font.layout(a + b), plainLayout(font, a + b))) {
        plain.delete(a);
        plain.delete(b);
      }
    }
  }
  return plain;
}

/** The font, with words made only of plain characters laid out without the shaper. */
export function withPlainFigures(font: FontkitFont): FontkitFont {
  const plain = plainCharactersOf(font);
  const isPlain = (text: string) => {
    for (let i = 0; i < text.length; i += 1) if (!plain.has(text.charAt(i))) return false;
    return text.length > 0;
  };
  return Object.create(font, {
    layout: {
      value: (text: string, features?: unknown, ...rest: unknown[]): GlyphRun =>
        features === undefined && rest.length === 0 && isPlain(text)
          ? plainLayout(font, text)
          : font.layout(text, features, ...rest),
    },
  }) as FontkitFont;
}

type FontSource = Buffer | FontkitFont;
interface FontPair {
  regular: FontSource;
  bold: FontSource;
}
let fonts: FontPair | undefined;
let japaneseFonts: FontPair | null | undefined;

/**
 * Japanese needs a CJK font, which no npm package we use ships: IPAGothic from Debian's fonts-ipafont-gothic
 * (installed by .ci/run and the Dockerfile; a few MB, and each PDF embeds only the glyphs it uses). It has no bold
 * face, so headings are drawn in the same weight. Without it, Japanese PDFs fall back to DejaVu Sans, whose
 * missing glyphs draw as nothing: the unit test test/unit/pdf-fonts.test.ts says so on a machine without it.
 */
export const JAPANESE_FONT_FILES = ['/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf'];

/** Parsing a TTF costs more than laying out a long statement: pdfkit parses each once, and every document reuses it. */
function parsedFonts(regular: Buffer, bold: Buffer): FontPair {
  const PDFDocument = pdfkit();
  const probe = new PDFDocument({ autoFirstPage: false });
  const parsed = (src: Buffer, name: string): FontSource => {
    probe.registerFont(name, src);
    probe.font(name);
    const font = (probe as unknown as { _font?: { font?: FontkitFont } })._font?.font;
    return typeof font?.layout === 'function' ? withPlainFigures(font) : src;
  };
  return { regular: parsed(regular, 'regular'), bold: parsed(bold, 'bold') };
}

/**
 * The regular and bold fonts for a document in `language`, as sources for `doc.registerFont` (pdfkit takes an
 * already parsed font too): DejaVu Sans, or for Japanese the CJK font when the machine has it.
 */
export function fontSources(language?: string): FontPair {
  if (language === 'ja') {
    if (japaneseFonts === undefined) {
      const file = JAPANESE_FONT_FILES.find((path) => existsSync(path));
      const font = file ? readFileSync(file) : null;
      japaneseFonts = font ? parsedFonts(font, font) : null;
    }
    if (japaneseFonts) return japaneseFonts;
  }
  fonts ??= parsedFonts(
    readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')),
    readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf')),
  );
  return fonts;
}
