/**
 * A 1,000-line statement of accounts rendered as a PDF by Portico (pdfkit) N times, next to Chromium printing the
 * same statement's HTML view to PDF (what a headless-browser renderer would cost). Target for Portico: ≤ 150 ms.
 * Run by `npm run bench`, or alone: `node --import tsx bench/statement-pdf.ts [runs] [lines]`.
 */
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildStatement, type StatementEntry } from '../src/domain/statement.js';
import { statementHtml } from '../src/modules/statements/exports.js';
import { statementPdf } from '../src/modules/statements/pdf.js';
import type { CustomerStatement } from '../src/modules/statements/service.js';
import { chromiumPath } from '../test/support/browser.js';

function syntheticStatement(lines: number): CustomerStatement {
  const entries: StatementEntry[] = [];
  for (let i = 0; i < lines; i += 1) {
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(i / 28) % 12) + 1).padStart(2, '0');
    const invoice = i % 3 !== 2;
    entries.push({
      date: `2025-${month}-${day}`,
      createdAt: `2025-${month}-${day}T10:00:${String(i % 60).padStart(2, '0')}.000Z`,
      kind: invoice ? 'invoice' : 'payment',
      id: `e${i}`,
      number: invoice ? `INV-${String(i).padStart(5, '0')}` : `PAY-${String(i).padStart(5, '0')}`,
      facts: invoice
        ? { dueDate: `2025-${month}-${day}` }
        : { paymentMode: 'bank_transfer', paymentReference: 'Kōbe Works wire' },
      amount: 1_000 + ((i * 7919) % 250_000),
    });
  }
  return {
    ...buildStatement({ openingBalance: 12_345, from: '2025-01-01', to: '2025-12-31', entries }),
    currency: 'USD',
    customer: { id: 'cus_bench', displayName: 'Kōbe Works', companyName: 'Kōbe Works K.K.', billingAddress: '{}' },
    balance: null,
  };
}

const org = {
  name: 'Portico Bench Ltd',
  address: JSON.stringify({ street1: '1 Bench Street', city: 'Osaka', country: 'Japan' }),
  email: 'billing@bench.example',
  phone: null,
  website: null,
  logoBase64: null,
  logoContentType: null,
};

export interface StatementPdfResult {
  lines: number;
  runs: number;
  porticoMedianMs: number;
  porticoBytes: number;
  /** null when Chromium is not installed. */
  chromiumMedianMs: number | null;
}

async function median(runs: number, render: () => Promise<Buffer>): Promise<{ ms: number; bytes: number }> {
  await render(); // warm-up: fonts parsed, pages created
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    bytes = (await render()).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round((times[Math.floor(times.length / 2)] ?? 0) * 10) / 10, bytes };
}

export async function benchStatementPdf(runs = 20, lineCount = 1000): Promise<StatementPdfResult> {
  const statement = syntheticStatement(lineCount);
  const portico = await median(runs, () => statementPdf(org, statement));
  let chromiumMedianMs: number | null = null;
  const executablePath = chromiumPath();
  if (executablePath) {
    const browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const html = statementHtml(org, statement);
      // Loading the HTML and printing it, as a renderer on the request path would for every download.
      const printed = await median(Math.min(runs, 5), async () => {
        await page.setContent(html);
        return page.pdf({ format: 'A4' });
      });
      chromiumMedianMs = printed.ms;
    } finally {
      await browser.close();
    }
  }
  return {
    lines: statement.lines.length,
    runs,
    porticoMedianMs: portico.ms,
    porticoBytes: portico.bytes,
    chromiumMedianMs,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchStatementPdf(Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 1000));
  console.log(
    `statement PDF, ${result.lines} lines: Portico ${result.porticoMedianMs} ms (median of ${result.runs}; target ≤ 150 ms), ` +
      `Chromium printing the HTML ${result.chromiumMedianMs === null ? 'not measured (no Chromium)' : `${result.chromiumMedianMs} ms`}`,
  );
}
