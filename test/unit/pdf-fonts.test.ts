import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { FIGURE_CANDIDATES, type FontkitFont, fontSources, plainCharactersOf } from '../../src/pdf/fonts.js';

/** The fonts as loaded, and the fontkit fonts underneath them (which shape everything). */
const loaded = Object.entries(fontSources()).map(([name, font]) => {
  const withFigures = font as FontkitFont;
  return { name, withFigures, shaper: Object.getPrototypeOf(withFigures) as FontkitFont };
});

const layoutOf = (font: FontkitFont, text: string) => {
  const run = font.layout(text);
  return {
    glyphs: run.glyphs.map((glyph) => glyph.id),
    positions: run.positions.map((p) => ({ ...p })),
    advanceWidth: run.advanceWidth,
  };
};

describe('PDF fonts: figures laid out without the shaper', () => {
  for (const { name, withFigures, shaper } of loaded) {
    test(`${name}: every figure and sign is plain in DejaVu Sans`, () => {
      assert.equal([...plainCharactersOf(shaper)].join(''), FIGURE_CANDIDATES);
    });

    test(`${name}: any amount, date or number comes out as the shaper lays it out`, () => {
      const figures = fc.constantFrom(...FIGURE_CANDIDATES.split(''));
      fc.assert(
        fc.property(fc.array(figures, { minLength: 1, maxLength: 24 }), (chars) => {
          const text = chars.join('');
          assert.deepEqual(layoutOf(withFigures, text), layoutOf(shaper, text));
        }),
        { numRuns: 300 },
      );
    });

    test(`${name}: words with letters, and layouts with features, still go to the shaper`, () => {
      for (const text of ['AV', 'To 1.00', 'Kōbe', 'e\u0301', '1/2']) {
        assert.deepEqual(layoutOf(withFigures, text), layoutOf(shaper, text), text);
      }
      // Kerning is the shaper's: "AV" is closer than its two glyphs' advances.
      const av = withFigures.layout('AV');
      assert.ok(av.advanceWidth < av.glyphs.reduce((sum, glyph) => sum + glyph.advanceWidth, 0));
      const withFeatures = withFigures.layout('1/2', ['frac']);
      assert.deepEqual(
        withFeatures.glyphs.map((g) => g.id),
        shaper.layout('1/2', ['frac']).glyphs.map((g) => g.id),
      );
    });
  }
});
