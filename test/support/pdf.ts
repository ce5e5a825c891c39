import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** pdftotext (poppler-utils) reads PDFs back as text; tests that need it skip, with this reason, without it. */
function findPdftotext(): boolean {
  try {
    execFileSync('which', ['pdftotext'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_PDFTOTEXT = findPdftotext();
export const NO_PDFTOTEXT_REASON =
  'pdftotext is not installed (apt-get install poppler-utils): PDF text is not checked';
if (!HAS_PDFTOTEXT) console.log(`# SKIPPING PDF text checks: ${NO_PDFTOTEXT_REASON}`);

/** The PDF's text as `pdftotext -layout` lays it out; pages are separated by form feeds. */
export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whitespace-insensitive: pdftotext's columns come with runs of spaces. */
export const squeeze = (text: string) => text.replace(/\s+/g, ' ');

/** Each page of the PDF as a PNG (pdftoppm, from the same poppler-utils), to compare what two PDFs look like. */
export function pdfPageImages(pdf: Buffer, dpi = 100): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'portico-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-png', file, join(dir, 'page')]);
    return readdirSync(dir)
      .filter((name) => name.endsWith('.png'))
      .sort()
      .map((name) => readFileSync(join(dir, name)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
